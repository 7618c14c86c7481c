"""Reports, plots and evidence packages."""
