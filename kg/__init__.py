"""kg: a knowledge-graph explorer for flashcard decks."""

__version__ = "0.1.0"
