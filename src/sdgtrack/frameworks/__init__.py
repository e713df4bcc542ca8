"""Reference data (SDG framework, areas, series lists) shipped as data files, and their loaders."""
