"""cocreate: a static-site generator for public changelogs, 'we did it' pages and fan stories."""

__version__ = "0.1.0"
