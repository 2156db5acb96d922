"""Terminal sizes the screens adapt to (kept apart from the widgets, so the app imports no dialog at start)."""

SHORT_BELOW = 22  # rows: a shorter terminal gives the app the class -short (MarginApp.on_resize); dialogs compact
