"""Console scripts: `zoom-demo`, `zoom-dev` and `zoom-check-connection` (see the Makefile)."""
