// Python "repair" tasks: a plausible broken implementation to fix. Fields as in tsRepair.mjs.

export const pyRepair = [
  {
    id: 'py-fix-last-n',
    file: 'last_n.py',
    entry: 'last_n',
    bugKind: 'wrong edge case',
    reference: `def last_n(items: list[int], n: int) -> list[int]:
    """The last n items, in order; all of them when n exceeds the length, none when n is 0."""
    if n <= 0:
        return []
    return items[-n:]
`,
    bugs: [['    if n <= 0:\n        return []\n', '']],
    wrong: [['return items[-n:]', 'return items[-n:][::-1]']],
    tests: `from last_n import last_n


def test_some():
    assert last_n([1, 2, 3, 4], 2) == [3, 4]


def test_more_than_length():
    assert last_n([1, 2], 5) == [1, 2]


def test_zero():
    assert last_n([1, 2, 3], 0) == []
`,
  },
  {
    id: 'py-fix-missing-import',
    file: 'dates.py',
    entry: 'days_between',
    bugKind: 'missing import',
    reference: `from datetime import date


def days_between(start: str, end: str) -> int:
    """Whole days from one ISO date (YYYY-MM-DD) to another; negative when end is earlier."""
    return (date.fromisoformat(end) - date.fromisoformat(start)).days
`,
    bugs: [['from datetime import date\n\n\n', '']],
    wrong: [['return (date.fromisoformat(end) - date.fromisoformat(start)).days', 'return abs((date.fromisoformat(end) - date.fromisoformat(start)).days)']],
    tests: `from dates import days_between


def test_forward():
    assert days_between("2024-02-27", "2024-03-01") == 3


def test_backward():
    assert days_between("2023-01-10", "2023-01-01") == -9


def test_same_day():
    assert days_between("2020-05-05", "2020-05-05") == 0
`,
  },
  {
    id: 'py-fix-misspelled-name',
    file: 'lengths.py',
    entry: 'longest_word_length',
    bugKind: 'misspelled name',
    reference: `def longest_word_length(text: str) -> int:
    """Length of the longest whitespace-separated word, or 0 for blank text."""
    longest = 0
    for word in text.split():
        length = len(word)
        if length > longest:
            longest = length
    return longest
`,
    bugs: [['        if length > longest:\n            longest = length\n', '        if lenght > longest:\n            longest = lenght\n']],
    wrong: [['for word in text.split():', 'for word in text.split(" "):'], ['    return longest\n', '    return longest - 1 if longest else 0\n']],
    tests: `from lengths import longest_word_length


def test_longest():
    assert longest_word_length("a quick brownish fox") == 8


def test_blank():
    assert longest_word_length("   ") == 0
    assert longest_word_length("") == 0
`,
  },
  {
    id: 'py-fix-fahrenheit',
    file: 'temperature.py',
    entry: 'celsius_to_fahrenheit',
    bugKind: 'wrong operator',
    reference: `def celsius_to_fahrenheit(celsius: float) -> float:
    """Convert degrees Celsius to degrees Fahrenheit."""
    return celsius * 9 / 5 + 32
`,
    bugs: [['celsius * 9 / 5 + 32', 'celsius * 9 / 5 - 32']],
    wrong: [['celsius * 9 / 5 + 32', 'celsius * 2 + 30']],
    tests: `import math

from temperature import celsius_to_fahrenheit


def test_fixed_points():
    assert celsius_to_fahrenheit(0) == 32
    assert celsius_to_fahrenheit(100) == 212


def test_minus_forty():
    assert celsius_to_fahrenheit(-40) == -40


def test_fraction():
    assert math.isclose(celsius_to_fahrenheit(37.5), 99.5)
`,
  },
  {
    id: 'py-fix-mutable-default',
    file: 'tags.py',
    entry: 'add_tag',
    bugKind: 'shared mutable default',
    reference: `def add_tag(tag: str, tags: list[str] | None = None) -> list[str]:
    """Return a list with the tag appended; a new list is made when none is given."""
    if tags is None:
        tags = []
    tags.append(tag)
    return tags
`,
    bugs: [
      ['tags: list[str] | None = None', 'tags: list[str] = []'],
      ['    if tags is None:\n        tags = []\n', ''],
    ],
    wrong: [['    tags.append(tag)\n    return tags', '    return [tag]']],
    tests: `from tags import add_tag


def test_fresh_lists():
    assert add_tag("a") == ["a"]
    assert add_tag("b") == ["b"]


def test_given_list_is_extended():
    existing = ["x"]
    assert add_tag("y", existing) == ["x", "y"]
    assert existing == ["x", "y"]
`,
  },
  {
    id: 'py-fix-integer-division',
    file: 'mean.py',
    entry: 'mean',
    bugKind: 'wrong operator',
    reference: `def mean(values: list[float]) -> float:
    """Arithmetic mean; raises ValueError for an empty list."""
    if not values:
        raise ValueError("mean of empty list")
    return sum(values) / len(values)
`,
    bugs: [['return sum(values) / len(values)', 'return sum(values) // len(values)']],
    wrong: [['    if not values:\n        raise ValueError("mean of empty list")\n', '    if not values:\n        return 0.0\n']],
    tests: `import pytest

from mean import mean


def test_fraction():
    assert mean([1, 2]) == 1.5
    assert mean([1, 2, 3, 4]) == 2.5


def test_whole():
    assert mean([3, 3, 3]) == 3


def test_empty():
    with pytest.raises(ValueError):
        mean([])
`,
  },
  {
    id: 'py-fix-count-key-error',
    file: 'char_counts.py',
    entry: 'char_counts',
    bugKind: 'missing initialisation',
    reference: `def char_counts(text: str) -> dict[str, int]:
    """How often each non-space character occurs, in order of first appearance."""
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isspace():
            continue
        counts[ch] = counts.get(ch, 0) + 1
    return counts
`,
    bugs: [['counts[ch] = counts.get(ch, 0) + 1', 'counts[ch] += 1']],
    wrong: [['        if ch.isspace():\n            continue\n', '']],
    tests: `from char_counts import char_counts


def test_counts():
    assert char_counts("hello") == {"h": 1, "e": 1, "l": 2, "o": 1}


def test_spaces_skipped():
    assert char_counts("a a\\tb\\n") == {"a": 2, "b": 1}


def test_order_of_first_appearance():
    assert list(char_counts("cabbac")) == ["c", "a", "b"]
`,
  },
  {
    id: 'py-fix-sort-key',
    file: 'people.py',
    entry: 'sort_people',
    bugKind: 'wrong sort key',
    reference: `def sort_people(people: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Sort (name, age) pairs by age, youngest first; equal ages by name."""
    return sorted(people, key=lambda p: (p[1], p[0]))
`,
    bugs: [['key=lambda p: (p[1], p[0])', 'key=lambda p: (p[0], p[1])']],
    wrong: [['key=lambda p: (p[1], p[0])', 'key=lambda p: p[1], reverse=True']],
    tests: `from people import sort_people


def test_by_age_then_name():
    people = [("Zoe", 30), ("Adam", 41), ("Bea", 30), ("Cal", 19)]
    assert sort_people(people) == [("Cal", 19), ("Bea", 30), ("Zoe", 30), ("Adam", 41)]


def test_empty():
    assert sort_people([]) == []
`,
  },
  {
    id: 'py-fix-chunks-range',
    file: 'chunks.py',
    entry: 'chunks',
    bugKind: 'off-by-one',
    reference: `def chunks(items: list[int], size: int) -> list[list[int]]:
    """Consecutive pieces of \`size\` items; the last piece holds the rest."""
    return [items[i : i + size] for i in range(0, len(items), size)]
`,
    bugs: [['range(0, len(items), size)', 'range(0, len(items) - size, size)']],
    wrong: [['range(0, len(items), size)', 'range(0, len(items), size + 1)']],
    tests: `from chunks import chunks


def test_remainder():
    assert chunks([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]


def test_exact():
    assert chunks([1, 2, 3, 4], 2) == [[1, 2], [3, 4]]


def test_single_piece():
    assert chunks([1, 2], 5) == [[1, 2]]
`,
  },
  {
    id: 'py-fix-join-type',
    file: 'ids.py',
    entry: 'format_ids',
    bugKind: 'type error',
    reference: `def format_ids(ids: list[int]) -> str:
    """Comma-separated ids in ascending order, without duplicates: [3, 1, 3] -> "1,3"."""
    return ",".join(str(i) for i in sorted(set(ids)))
`,
    bugs: [['",".join(str(i) for i in sorted(set(ids)))', '",".join(sorted(set(ids)))']],
    wrong: [['",".join(str(i) for i in sorted(set(ids)))', '",".join(str(i) for i in sorted(ids))']],
    tests: `from ids import format_ids


def test_sorted_unique():
    assert format_ids([3, 1, 3]) == "1,3"


def test_numeric_order():
    assert format_ids([10, 9, 100]) == "9,10,100"


def test_empty():
    assert format_ids([]) == ""
`,
  },
  {
    id: 'py-fix-first-word',
    file: 'first_word.py',
    entry: 'first_word',
    bugKind: 'wrong edge case',
    reference: `def first_word(text: str) -> str | None:
    """The first whitespace-separated word of the text, or None when there is none."""
    parts = text.split()
    return parts[0] if parts else None
`,
    bugs: [['    return parts[0] if parts else None\n', '    return parts[0]\n']],
    wrong: [['text.split()', 'text.split(" ")']],
    tests: `from first_word import first_word


def test_word():
    assert first_word("  hello there") == "hello"


def test_tab_separated():
    assert first_word("one\\ttwo") == "one"


def test_blank():
    assert first_word("") is None
    assert first_word(" \\n ") is None
`,
  },
  {
    id: 'py-fix-method-not-called',
    file: 'emails.py',
    entry: 'normalize_email',
    bugKind: 'attribute error',
    reference: `def normalize_email(email: str) -> str:
    """Trim surrounding whitespace and lower-case the address."""
    return email.strip().lower()
`,
    bugs: [['email.strip().lower()', 'email.strip.lower()']],
    wrong: [['email.strip().lower()', 'email.lower()']],
    tests: `from emails import normalize_email


def test_normalizes():
    assert normalize_email("  Ada@Example.COM \\n") == "ada@example.com"


def test_already_normal():
    assert normalize_email("x@y.z") == "x@y.z"
`,
  },
  {
    id: 'py-fix-insert-position',
    file: 'insert_pos.py',
    entry: 'insert_position',
    bugKind: 'off-by-one',
    reference: `def insert_position(values: list[int], x: int) -> int:
    """Index where x would be inserted into ascending values to keep them sorted, before any
    equal items (binary search)."""
    lo, hi = 0, len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        if values[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo
`,
    bugs: [['        if values[mid] < x:', '        if values[mid] <= x:']],
    wrong: [['    return lo\n', '    return min(lo, len(values) - 1) if values else 0\n']],
    tests: `from insert_pos import insert_position


def test_middle():
    assert insert_position([1, 3, 5, 7], 4) == 2


def test_before_equal_items():
    assert insert_position([1, 2, 2, 2, 3], 2) == 1


def test_ends():
    assert insert_position([1, 2], 0) == 0
    assert insert_position([1, 2], 9) == 2
    assert insert_position([], 5) == 0
`,
  },
  {
    id: 'py-fix-tree-depth',
    file: 'tree_depth.py',
    entry: 'depth',
    bugKind: 'wrong base case',
    reference: `from typing import Any


def depth(tree: Any) -> int:
    """Nesting depth of dicts: a non-dict value is 0, an empty dict is 1, and a dict is one more
    than its deepest value."""
    if not isinstance(tree, dict):
        return 0
    return 1 + max((depth(v) for v in tree.values()), default=0)
`,
    bugs: [['max((depth(v) for v in tree.values()), default=0)', 'max(depth(v) for v in tree.values())']],
    wrong: [['    return 1 + max(', '    return len(tree) + max(']],
    tests: `from tree_depth import depth


def test_values():
    assert depth(5) == 0
    assert depth({}) == 1


def test_nested():
    assert depth({"a": 1, "b": {"c": {"d": 2}}}) == 3


def test_empty_leaf():
    assert depth({"a": {}, "b": {}}) == 2
`,
  },
  {
    id: 'py-fix-wrong-exception',
    file: 'safe_int.py',
    entry: 'safe_int',
    bugKind: 'wrong exception type',
    reference: `def safe_int(text: str, default: int = 0) -> int:
    """The integer written in text (surrounding spaces allowed), or default when it is not one."""
    try:
        return int(text.strip())
    except ValueError:
        return default
`,
    bugs: [['    except ValueError:', '    except TypeError:']],
    wrong: [['        return int(text.strip())', '        return int(float(text.strip()))']],
    tests: `from safe_int import safe_int


def test_parses():
    assert safe_int(" 42 ") == 42
    assert safe_int("-7") == -7


def test_default():
    assert safe_int("4.5") == 0
    assert safe_int("abc", default=-1) == -1
`,
  },
];
