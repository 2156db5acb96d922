"""Margin's sub-commands, one module each: `build_parser()` and `run(args) -> int`."""
