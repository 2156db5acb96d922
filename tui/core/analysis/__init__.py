"""Analysis: spaCy pipeline choice, Margin's entity and quote components, and the result cache.

Importing this package does not import spaCy; `analyze_text` and `load_pipeline` do.
"""

from tui.core.analysis.result import Analysis, Entity, Quote, Speaker

__all__ = ["Analysis", "Entity", "Quote", "Speaker"]
