"""Importers for the public legislator and district data, and the `flask data` commands."""

from datasets.errors import DataError
from datasets.loader import LoadReport, load_data_dir

__all__ = ["DataError", "LoadReport", "load_data_dir"]
