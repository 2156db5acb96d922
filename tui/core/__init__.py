"""Margin's domain core: articles, analysis, annotations, export. No Textual imports here."""
