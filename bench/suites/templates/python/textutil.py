"""Helpers shared by the bench tasks' files; a task may need to import one of them."""


def words(text: str) -> list[str]:
    """Splits text into words on any run of whitespace."""
    return text.split()


def is_vowel(ch: str) -> bool:
    """True for the five ASCII vowels, either case."""
    return ch.lower() in "aeiou"
