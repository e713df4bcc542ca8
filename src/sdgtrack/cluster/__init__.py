"""The analyses that grow with areas x series on Dask distributed, over an export of the store.

``sdgtrack export parquet`` writes the store as Hive-partitioned Parquet (one folder per series);
:mod:`.run` sends tasks to a Dask cluster (a scheduler's address, or a local cluster of worker
processes). Each task opens only its series' folders as a store (``store/parquet.partition_store``)
and calls the functions a local run calls: :func:`sdgtrack.progress.assess.assess_series` per group
of series; for interlinkages :func:`sdgtrack.links.statistical.link_values` per group of series,
regrouped by area between workers, then :func:`sdgtrack.links.statistical.area_links` per group of
areas. The parts are joined as a local run joins its one part, so the results are the same rows and
values (tests/test_cluster.py). Dask is an optional dependency: ``pip install 'sdgtrack[cluster]'``.
"""
