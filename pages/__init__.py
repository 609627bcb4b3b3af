"""The supporter-facing pages: the campaign page and its form, the call page and its status JSON.

The routes are in pages/routes.py; the modules beside them hold the work, free of Flask.
"""
