"""Publishing: the reporting site (pages and data files) built from the workspace.

The site is a set of :class:`~sdgtrack.publish.site.SiteFile` objects produced from one
:class:`~sdgtrack.publish.site.Site`. ``sdgtrack site build`` writes them to a folder (only the
ones whose key changed); the live server (``sdgtrack serve``) renders the same files on request.
One producer per kind of output, so a page built and a page served are the same bytes.
"""
