// Python "generate" tasks: a signature and docstring with `raise NotImplementedError`; the model
// writes the body. Fields as in tsGenerate.mjs; `pre` holds imports above the function.

export const pyGenerate = [
  {
    id: 'py-gen-snake-case',
    file: 'snake_case.py',
    entry: 'to_snake_case',
    pre: 'import re\n\n\n',
    head: `def to_snake_case(name: str) -> str:
    """Convert a camelCase or PascalCase identifier to snake_case.

    A run of capitals is one word, so "parseHTTPResponse" becomes "parse_http_response" and
    "UserID" becomes "user_id". Digits stay attached to the word before them ("page2Url" ->
    "page2_url"). Names that are already snake_case are returned unchanged.
    """
`,
    body: `    step = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\\1_\\2", name)
    step = re.sub(r"([a-z0-9])([A-Z])", r"\\1_\\2", step)
    return step.lower()
`,
    wrongBody: `    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
`,
    tests: `from snake_case import to_snake_case


def test_camel():
    assert to_snake_case("userName") == "user_name"


def test_pascal_and_acronyms():
    assert to_snake_case("parseHTTPResponse") == "parse_http_response"
    assert to_snake_case("UserID") == "user_id"


def test_digits_and_unchanged():
    assert to_snake_case("page2Url") == "page2_url"
    assert to_snake_case("already_snake") == "already_snake"
`,
  },
  {
    id: 'py-gen-primes-below',
    file: 'primes.py',
    entry: 'primes_below',
    head: `def primes_below(n: int) -> list[int]:
    """All prime numbers strictly less than n, in increasing order (empty for n <= 2)."""
`,
    body: `    if n <= 2:
        return []
    sieve = [True] * n
    sieve[0] = sieve[1] = False
    for i in range(2, int(n**0.5) + 1):
        if sieve[i]:
            for j in range(i * i, n, i):
                sieve[j] = False
    return [i for i, is_prime in enumerate(sieve) if is_prime]
`,
    wrongBody: `    return [i for i in range(2, n) if i % 2 == 1 or i == 2]
`,
    tests: `from primes import primes_below


def test_small():
    assert primes_below(10) == [2, 3, 5, 7]


def test_excludes_n():
    assert primes_below(13) == [2, 3, 5, 7, 11]


def test_edges():
    assert primes_below(2) == []
    assert primes_below(0) == []
    assert primes_below(3) == [2]


def test_count():
    assert len(primes_below(1000)) == 168
`,
  },
  {
    id: 'py-gen-group-anagrams',
    file: 'anagrams.py',
    entry: 'group_anagrams',
    head: `def group_anagrams(words: list[str]) -> list[list[str]]:
    """Group words that are anagrams of each other (same letters, case-insensitive).

    Groups appear in the order of their first word; words keep their input order inside a group.
    """
`,
    body: `    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault("".join(sorted(word.lower())), []).append(word)
    return list(groups.values())
`,
    wrongBody: `    groups: dict[int, list[str]] = {}
    for word in words:
        groups.setdefault(len(word), []).append(word)
    return list(groups.values())
`,
    tests: `from anagrams import group_anagrams


def test_groups_in_order():
    assert group_anagrams(["listen", "google", "silent", "enlist", "gogole"]) == [
        ["listen", "silent", "enlist"],
        ["google", "gogole"],
    ]


def test_case_insensitive():
    assert group_anagrams(["Dusty", "study", "night", "Thing"]) == [["Dusty", "study"], ["night", "Thing"]]


def test_same_length_not_anagrams():
    assert group_anagrams(["abc", "abd"]) == [["abc"], ["abd"]]


def test_empty():
    assert group_anagrams([]) == []
`,
  },
  {
    id: 'py-gen-flatten',
    file: 'flatten.py',
    entry: 'flatten',
    pre: 'from typing import Any\n\n\n',
    head: `def flatten(nested: list[Any]) -> list[Any]:
    """Flatten lists and tuples nested to any depth into one list, left to right.

    Strings, bytes and dicts are values, not containers: they are kept whole.
    """
`,
    body: `    out: list[Any] = []
    for item in nested:
        if isinstance(item, (list, tuple)):
            out.extend(flatten(list(item)))
        else:
            out.append(item)
    return out
`,
    wrongBody: `    out: list[Any] = []
    for item in nested:
        if isinstance(item, list):
            out.extend(item)
        else:
            out.append(item)
    return out
`,
    tests: `from flatten import flatten


def test_deep():
    assert flatten([1, [2, [3, [4, [5]]]], 6]) == [1, 2, 3, 4, 5, 6]


def test_tuples_and_strings():
    assert flatten([("a", "bc"), ["de", ("f",)]]) == ["a", "bc", "de", "f"]


def test_dicts_are_values():
    assert flatten([{"k": 1}, [[]]]) == [{"k": 1}]
`,
  },
  {
    id: 'py-gen-transpose',
    file: 'matrix.py',
    entry: 'transpose',
    head: `def transpose(rows: list[list[float]]) -> list[list[float]]:
    """Swap rows and columns. An empty matrix transposes to [].

    Raises ValueError when the rows do not all have the same length.
    """
`,
    body: `    if not rows:
        return []
    width = len(rows[0])
    if any(len(r) != width for r in rows):
        raise ValueError("ragged matrix")
    return [[r[c] for r in rows] for c in range(width)]
`,
    wrongBody: `    return [list(col) for col in zip(*rows)]
`,
    tests: `import pytest

from matrix import transpose


def test_rectangular():
    assert transpose([[1, 2, 3], [4, 5, 6]]) == [[1, 4], [2, 5], [3, 6]]


def test_single_row():
    assert transpose([[7, 8]]) == [[7], [8]]


def test_empty():
    assert transpose([]) == []


def test_ragged():
    with pytest.raises(ValueError):
        transpose([[1, 2], [3]])
`,
  },
  {
    id: 'py-gen-caesar',
    file: 'caesar.py',
    entry: 'caesar',
    head: `def caesar(text: str, shift: int) -> str:
    """Shift ASCII letters by \`shift\` places round the alphabet, keeping their case.

    Other characters are unchanged. The shift may be negative or larger than 26.
    """
`,
    body: `    out = []
    for ch in text:
        if "a" <= ch <= "z":
            out.append(chr((ord(ch) - 97 + shift) % 26 + 97))
        elif "A" <= ch <= "Z":
            out.append(chr((ord(ch) - 65 + shift) % 26 + 65))
        else:
            out.append(ch)
    return "".join(out)
`,
    wrongBody: `    return "".join(chr(ord(ch) + shift) if ch.isalpha() else ch for ch in text)
`,
    tests: `from caesar import caesar


def test_wraps():
    assert caesar("xyz", 3) == "abc"


def test_case_and_punctuation():
    assert caesar("Hello, World!", 5) == "Mjqqt, Btwqi!"


def test_negative_and_large():
    assert caesar("abc", -1) == "zab"
    assert caesar("abc", 53) == "bcd"
`,
  },
  {
    id: 'py-gen-moving-average',
    file: 'moving.py',
    entry: 'moving_average',
    head: `def moving_average(values: list[float], window: int) -> list[float]:
    """The mean of each run of \`window\` consecutive values, in order.

    The result has len(values) - window + 1 items, or none when the window is longer than the
    data. Raises ValueError when window < 1.
    """
`,
    body: `    if window < 1:
        raise ValueError("window must be at least 1")
    return [sum(values[i : i + window]) / window for i in range(len(values) - window + 1)]
`,
    wrongBody: `    return [sum(values[i : i + window]) / window for i in range(len(values))]
`,
    tests: `import pytest

from moving import moving_average


def test_window_two():
    assert moving_average([1, 2, 3, 4], 2) == [1.5, 2.5, 3.5]


def test_window_equals_length_and_longer():
    assert moving_average([2, 4, 6], 3) == [4.0]
    assert moving_average([1, 2], 3) == []


def test_bad_window():
    with pytest.raises(ValueError):
        moving_average([1, 2], 0)
`,
  },
  {
    id: 'py-gen-parse-kv',
    file: 'kvconfig.py',
    entry: 'parse_kv',
    head: `def parse_kv(text: str) -> dict[str, str]:
    """Parse "key = value" lines into a dict.

    Whitespace around keys and values is stripped. Blank lines and lines whose first non-space
    character is "#" are skipped. The value is everything after the first "=". A later key
    overrides an earlier one. Any other line raises ValueError naming its 1-based line number.
    """
`,
    body: `    result: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if "=" not in stripped:
            raise ValueError(f"line {number}: expected key = value")
        key, value = stripped.split("=", 1)
        result[key.strip()] = value.strip()
    return result
`,
    wrongBody: `    result: dict[str, str] = {}
    for line in text.splitlines():
        if "=" in line:
            key, value = line.split("=")
            result[key.strip()] = value.strip()
    return result
`,
    tests: `import pytest

from kvconfig import parse_kv


def test_basic():
    assert parse_kv("name = demo\\nport=8080\\n") == {"name": "demo", "port": "8080"}


def test_comments_blank_and_override():
    text = "# settings\\n\\n  a = 1\\n   # skipped = yes\\na = 2\\n"
    assert parse_kv(text) == {"a": "2"}


def test_value_keeps_later_equals():
    assert parse_kv("url = http://x/?a=b") == {"url": "http://x/?a=b"}


def test_bad_line_names_number():
    with pytest.raises(ValueError, match="line 2"):
        parse_kv("a = 1\\nnot a pair\\n")
`,
  },
  {
    id: 'py-gen-digital-root',
    file: 'digits.py',
    entry: 'digital_root',
    head: `def digital_root(n: int) -> int:
    """Repeatedly sum the decimal digits of n until one digit is left.

    digital_root(0) is 0. Raises ValueError for negative numbers.
    """
`,
    body: `    if n < 0:
        raise ValueError("n must be non-negative")
    while n >= 10:
        n = sum(int(d) for d in str(n))
    return n
`,
    wrongBody: `    return sum(int(d) for d in str(abs(n)))
`,
    tests: `import pytest

from digits import digital_root


def test_single_pass():
    assert digital_root(16) == 7


def test_several_passes():
    assert digital_root(942) == 6
    assert digital_root(999_999_999_999) == 9


def test_small_and_negative():
    assert digital_root(0) == 0
    assert digital_root(7) == 7
    with pytest.raises(ValueError):
        digital_root(-5)
`,
  },
  {
    id: 'py-gen-interleave',
    file: 'interleave.py',
    entry: 'interleave',
    pre: 'from collections.abc import Iterable\nfrom typing import TypeVar\n\nT = TypeVar("T")\n\n\n',
    head: `def interleave(*sources: Iterable[T]) -> list[T]:
    """Take one item from each source in turn until all are exhausted.

    interleave([1, 2, 3], "ab") == [1, "a", 2, "b", 3]. Sources may be any iterables,
    including generators, and may have different lengths.
    """
`,
    body: `    iterators = [iter(s) for s in sources]
    out: list[T] = []
    while iterators:
        alive = []
        for it in iterators:
            try:
                out.append(next(it))
            except StopIteration:
                continue
            alive.append(it)
        iterators = alive
    return out
`,
    wrongBody: `    out: list[T] = []
    for group in zip(*sources):
        out.extend(group)
    return out
`,
    tests: `from interleave import interleave


def test_uneven():
    assert interleave([1, 2, 3], "ab") == [1, "a", 2, "b", 3]


def test_three_sources_and_generator():
    assert interleave("ace", (x for x in "bd"), ["!"]) == ["a", "b", "!", "c", "d", "e"]


def test_no_sources_and_empty():
    assert interleave() == []
    assert interleave([], [1]) == [1]
`,
  },
  {
    id: 'py-gen-format-duration',
    file: 'durations.py',
    entry: 'format_duration',
    head: `def format_duration(seconds: int) -> str:
    """Write a number of seconds as hours, minutes and seconds, e.g. "1h 2m 3s".

    Units that are zero are left out ("2m", "1h 5s"); zero seconds is "0s". Raises ValueError
    for negative input.
    """
`,
    body: `    if seconds < 0:
        raise ValueError("negative duration")
    if seconds == 0:
        return "0s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{v}{u}" for v, u in ((hours, "h"), (minutes, "m"), (secs, "s")) if v]
    return " ".join(parts)
`,
    wrongBody: `    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h {minutes}m {secs}s"
`,
    tests: `import pytest

from durations import format_duration


def test_all_units():
    assert format_duration(3723) == "1h 2m 3s"


def test_zero_units_left_out():
    assert format_duration(120) == "2m"
    assert format_duration(3605) == "1h 5s"
    assert format_duration(0) == "0s"


def test_negative():
    with pytest.raises(ValueError):
        format_duration(-1)
`,
  },
  {
    id: 'py-gen-palindrome',
    file: 'palindrome.py',
    entry: 'is_palindrome',
    head: `def is_palindrome(text: str) -> bool:
    """True when the letters and digits of the text read the same both ways, ignoring case.

    Everything that is not a letter or digit is ignored; an empty text counts as a palindrome.
    """
`,
    body: `    kept = [ch.lower() for ch in text if ch.isalnum()]
    return kept == kept[::-1]
`,
    wrongBody: `    return text == text[::-1]
`,
    tests: `from palindrome import is_palindrome


def test_sentence():
    assert is_palindrome("Never odd or even.") is True


def test_digits_and_punctuation():
    assert is_palindrome("12-3-21") is True
    assert is_palindrome("12-3-12") is False


def test_empty_and_plain():
    assert is_palindrome("") is True
    assert is_palindrome("abca") is False
`,
  },
  {
    id: 'py-gen-merge-sorted',
    file: 'merge_sorted.py',
    entry: 'merge_sorted',
    head: `def merge_sorted(a: list[int], b: list[int]) -> list[int]:
    """Merge two ascending lists into one ascending list, keeping duplicates.

    Neither input is modified.
    """
`,
    body: `    out: list[int] = []
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i])
            i += 1
        else:
            out.append(b[j])
            j += 1
    out.extend(a[i:])
    out.extend(b[j:])
    return out
`,
    wrongBody: `    return sorted(set(a) | set(b))
`,
    tests: `from merge_sorted import merge_sorted


def test_interleaved():
    assert merge_sorted([1, 4, 9], [2, 3, 10, 11]) == [1, 2, 3, 4, 9, 10, 11]


def test_duplicates_kept():
    assert merge_sorted([1, 2, 2], [2, 3]) == [1, 2, 2, 2, 3]


def test_empty_side_and_not_modified():
    a = [5, 6]
    assert merge_sorted(a, []) == [5, 6]
    assert merge_sorted([], [1]) == [1]
    assert a == [5, 6]
`,
  },
  {
    id: 'py-gen-word-wrap',
    file: 'wrap.py',
    entry: 'wrap',
    head: `def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap: lines of whole words joined by single spaces, each at most \`width\`.

    Words are separated by any whitespace. A word longer than the width goes on a line by
    itself. Empty or blank text gives [].
    """
`,
    body: `    lines: list[str] = []
    current = ""
    for word in text.split():
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines
`,
    wrongBody: `    return [text[i : i + width] for i in range(0, len(text), width)]
`,
    tests: `from wrap import wrap


def test_greedy():
    assert wrap("the quick brown fox jumps", 10) == ["the quick", "brown fox", "jumps"]


def test_exact_fit():
    assert wrap("ab cd", 5) == ["ab cd"]


def test_long_word_and_whitespace():
    assert wrap("a  extraordinary\\nb", 4) == ["a", "extraordinary", "b"]


def test_blank():
    assert wrap("   ", 3) == []
`,
  },
  {
    id: 'py-gen-pascal-row',
    file: 'pascal.py',
    entry: 'pascal_row',
    head: `def pascal_row(n: int) -> list[int]:
    """Row n (0-based) of Pascal's triangle: the binomial coefficients C(n, 0) .. C(n, n).

    Raises ValueError for negative n.
    """
`,
    body: `    if n < 0:
        raise ValueError("n must be non-negative")
    row = [1]
    for k in range(n):
        row.append(row[k] * (n - k) // (k + 1))
    return row
`,
    wrongBody: `    return [1] + [n] * (n - 1) + [1] if n > 0 else [1]
`,
    tests: `import pytest

from pascal import pascal_row


def test_first_rows():
    assert pascal_row(0) == [1]
    assert pascal_row(1) == [1, 1]
    assert pascal_row(4) == [1, 4, 6, 4, 1]


def test_larger_row():
    assert pascal_row(10)[5] == 252
    assert sum(pascal_row(12)) == 4096


def test_negative():
    with pytest.raises(ValueError):
        pascal_row(-1)
`,
  },
];
