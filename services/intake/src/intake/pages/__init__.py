"""Intake's pages: where their templates, static files and catalogs ship in the package."""

from hotline_common.resources import package_dir

TEMPLATES = package_dir("intake", "pages", "templates")
STATIC = package_dir("intake", "pages", "static")
LOCALES = package_dir("intake", "locales")
