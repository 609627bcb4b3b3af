"""The organiser's console under /console: sign-in, campaigns, results, users and the audit log.

The routes are in console/routes.py; accounts.py and audit.py hold the work, free of Flask;
access.py ties an account to the browser's session and guards every route by role.
"""
