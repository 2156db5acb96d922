"""Export/import formats other than the native JSON (see tui.core.export)."""
