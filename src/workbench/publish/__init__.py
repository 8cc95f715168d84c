"""Publishing: executed notebooks to an HTML site and Typst PDFs, in English and Arabic.

Quarto-compatible sources (``reports/_quarto.yml``) rendered by Quarto where it is
installed, and offline by pandoc + Typst everywhere else. See ``docs/publishing.md``.
"""

from workbench.publish.engines import FORMATS, PublishResult, pick_engine, publish

__all__ = ["FORMATS", "PublishResult", "pick_engine", "publish"]
