"""Every figure organisers see, computed once for the console, the CSV export and `flask campaign stats`.

Preview calls (played in the browser, or test calls) are never counted. No figure or export
carries a supporter's number, name or town.
"""
