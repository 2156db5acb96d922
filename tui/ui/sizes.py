"""Terminal sizes the screens adapt to (kept apart from the widgets, so the app imports no dialog at start)."""

SHORT_BELOW = 22  # rows: a shorter terminal gives every screen the class -short (MarginApp); dialogs compact
