"""From where a supporter lives to a planned Call: shared by the campaign page and the call-in line."""
