"""Batches of parameterised notebooks: plan, execute, record, collect.

``workbench batch`` reads ``parameters/batch.yaml`` (:mod:`.plan`), skips every
run whose inputs are unchanged since it last succeeded (:mod:`.hashing`,
:mod:`.manifest`), executes the rest with papermill on a small pool of warm
kernels, locally or on a dask cluster (:mod:`.kernel`, :mod:`.job`,
:mod:`.executors`), and collects the key-figure sidecars that the notebooks
write (:mod:`.figures`) into one results store (:mod:`.store`).
:func:`workbench.batch.runner.run_batch` ties the steps together.

Output layout (relative to the project root):

- ``reports/executed/<notebook>/<year>/<governorate>.ipynb`` (English) and
  ``<governorate>.ar.ipynb`` (Arabic); ``<governorate>`` is the OCHA P-code, or
  ``national`` for notebooks that run once per year;
- ``<same stem>.figures.json`` beside each executed notebook;
- ``reports/manifest.sqlite``: every run, read with
  :func:`workbench.batch.manifest.read_manifest`;
- ``reports/results/estimates.parquet`` and ``reports/results/key_figures.json``.

This package is imported inside notebook kernels (``workbench.batch.figures``),
so this module imports nothing heavy.
"""
