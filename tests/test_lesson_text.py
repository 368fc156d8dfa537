"""The lessons' text against their default runs: every number the text quotes is one the
lesson's code sets or its default run printed, and the run time it states is measured.

A default run takes minutes, too long for the suite; its printed output is kept in
``lessons/transcripts/NN_name.txt`` by ``python lessons/record_runs.py NN``. The text
may round a printed number (23.2% quoted as 23%), but not quote one that no run printed:
a number left over from an older run, or seen only in a quick run, fails here.

What counts as a quoted number: decimals (0.094), numbers with thousands separators
(4,385), percentages (23%), whole numbers (10 epochs, 183 eigenvalues, 45 s) and lengths
of time ("2 min 44 s", checked as 164 seconds). A whole number is not a quote of a run
where it names something: slides, a lesson, section, cell, step, table, equation or
figure ("slides 002", "section 5"), a year (1989), a part of a name (784-256-2, e02,
04_vanilla), or a number the text itself derives (it also appears in the text as a
product, "784 × 128"); these are listed in ``NAMING``. "about N" may round N to its
leading digits (about 800 for 799).
"""

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
NAMES = sorted(p.stem for p in LESSONS.glob("[0-9][0-9]_*.py"))

# decimals (0.094, 13.87), thousands with commas (4,385), percentages (23%), whole numbers
QUOTED = re.compile(r"(?<![\w.,/×·^:-])(\d{1,3}(?:,\d{3})+|\d+\.\d+|\d+)(?![\w.,]\d|[\w-])")
# whole numbers that name rather than quote: after these words, or inside a name
NAMING = re.compile(
    r"(?:slides|lessons?|sections?|cells?|steps?|Table|table|eq\.|figures?|items?|"
    r"chapter|Theorem|appendix|L|ρ =|k =|digits?|classes|class|cell|pages?|row|rows|"
    r"λ =|T =|L =|a =|B =|N =|and|or|to|[①-⑥]|[–-]|et al\.,?|\d,|\(|ECE|Science|#)\s*$"
)
RUN_TIME = re.compile(r"\*\*Run time\*\*[^\n]*?\((?:(\d+) min )?(\d+) s measured\)")
DURATION = re.compile(r"(?<![\w.])(\d+) min (\d+) s\b")
HEADER = re.compile(r"^# \S+, default run: (\d+) s on ")


def cells(name: str) -> tuple[str, str]:
    """The lesson's markdown text and its code, each as one string."""
    source = (LESSONS / f"{name}.py").read_text(encoding="utf-8")
    text, code = [], []
    for cell in re.split(r"^# %%", source, flags=re.M):
        (text if cell.startswith(" [markdown]") else code).append(cell)
    return "\n".join(text), "\n".join(code)


def transcript(name: str) -> tuple[int, str]:
    """The seconds of the recorded default run and what it printed."""
    path = LESSONS / "transcripts" / f"{name}.txt"
    assert path.is_file(), f"no transcript: run `python lessons/record_runs.py {name[:2]}`"
    header, _, printed = path.read_text(encoding="utf-8").partition("\n")
    match = HEADER.match(header)
    assert match, f"{path.name}: header {header!r} does not give the run's seconds"
    return int(match.group(1)), printed


def decimals(quoted: str) -> int:
    return len(quoted.partition(".")[2])


def rounded(number: str, places: int, scale: int = 1) -> Decimal:
    """``number`` times ``scale``, rounded half up to ``places`` decimals, as a reader
    rounds a printed number (10.25 to 10.3)."""
    exact = Decimal(number.replace(",", "")) * scale
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def supported(quoted: str, evidence: list[str], percent: bool = False) -> bool:
    """Whether some number in ``evidence`` is ``quoted``, or rounds to it; a percentage
    may also be a fraction in the evidence (95% for 0.95)."""
    places = decimals(quoted)
    target = Decimal(quoted.replace(",", ""))
    for candidate in evidence:
        for scale in (1, 100) if percent else (1,):
            shown = decimals(candidate) - (2 if scale == 100 else 0)  # decimals after scaling
            if shown >= places and rounded(candidate, places, scale) == target:
                return True
    return False


def quoted_numbers(text: str) -> list[tuple[str, bool]]:
    """Each number the text quotes, and whether it is a percentage; whole numbers that name
    something (``NAMING``, years) are left out, and so are lengths of time (``durations``)."""
    text = DURATION.sub(" ", text)
    found = []
    for m in QUOTED.finditer(text):
        number = m.group(1)
        whole = number.isdigit()
        if whole and (
            NAMING.search(text[max(0, m.start() - 16) : m.start()])
            or (len(number) == 4 and number[:2] in ("19", "20"))
        ):
            continue
        found.append((number, text[m.end() : m.end() + 1] == "%"))
    return found


def about(text: str) -> set[str]:
    """The whole numbers the text gives as "about N": a reader's rounding of a run's."""
    return set(re.findall(r"\babout (\d+(?:,\d{3})*)(?![\d.,]\d)", text))


def durations(text: str) -> list[int]:
    """The lengths of time written "M min S s", in seconds."""
    return [60 * int(m) + int(sec) for m, sec in DURATION.findall(text)]


def close_to(quoted: str, evidence: list[str]) -> bool:
    """Whether some number in ``evidence`` is within 5% of ``quoted`` ("about 800")."""
    target = float(quoted.replace(",", ""))
    return any(abs(float(e.replace(",", "")) - target) <= 0.05 * target for e in evidence)


def numbers_in(text: str) -> list[str]:
    """The numbers in code or printed output: 4,385, 200_000 (as 200000), 0.094, 7."""
    found = re.findall(r"\d{1,3}(?:,\d{3})+|\d[\d_]*\.\d+|\d[\d_]*", text)
    return [number.replace("_", "") for number in found]


def test_the_quoted_pattern_reads_numbers_as_a_student_would():
    text = "0.094 BCE; 4,385 parameters; 23% zero; v2.0-style, 3 epochs, x1.5"
    assert quoted_numbers(text) == [("0.094", False), ("4,385", False), ("23", True), ("3", False)]
    assert supported("23", ["23.2"]) and supported("0.101", ["0.1013"])
    assert supported("95", ["0.95"], percent=True) and not supported("95", ["0.95"])
    assert not supported("0.10", ["0.1"]) and not supported("90.6", ["90.7"])
    assert supported("10.3", ["10.25"]) and not supported("10.2", ["10.25"])


@pytest.mark.parametrize("name", NAMES)
def test_every_number_the_text_quotes_was_set_or_printed(name):
    text, code = cells(name)
    seconds, printed = transcript(name)
    header = (LESSONS / "transcripts" / f"{name}.txt").read_text(encoding="utf-8").split("\n")[0]
    evidence = numbers_in(code) + numbers_in(printed) + numbers_in(header)
    text = RUN_TIME.sub(" ", text)  # the run time is the next test's
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)  # LaTeX: its digits are notation
    approximate = about(text)
    unsupported = sorted(
        {
            q
            for q, percent in quoted_numbers(text)
            if not supported(q, evidence, percent)
            and not (q in approximate and close_to(q, evidence))
        }
    )
    lengths = [s for s in durations(text) if str(s) not in evidence and s != seconds]
    assert not unsupported and not lengths, (
        f"{name}: the text quotes {unsupported} (and lengths of time of {lengths} s), which "
        f"neither its code sets nor its default run printed (lessons/transcripts/{name}.txt); "
        "re-record the run or fix the text"
    )


def test_whole_numbers_and_times_are_quotes_unless_they_name_something():
    text = (
        "slides 002, lesson 07, section 5 (Burda et al. 2016): 10 epochs, 183 eigenvalues, "
        "784-256-2, about 800 units, 2 min 44 s in all; 35 ms"
    )
    assert [q for q, _ in quoted_numbers(text)] == ["10", "183", "800", "35"]
    assert about(text) == {"800"} and close_to("800", ["799"]) and not close_to("800", ["700"])
    assert durations(text) == [164]


@pytest.mark.parametrize("name", NAMES)
def test_the_run_time_at_the_top_is_the_recorded_one(name):
    text, _ = cells(name)
    seconds, _ = transcript(name)
    match = RUN_TIME.search(text)
    assert match, f"{name}: no '**Run time** on ... (M min S s measured)' line in its text"
    stated = 60 * int(match.group(1) or 0) + int(match.group(2))
    assert abs(stated - seconds) <= max(5, 0.1 * seconds), (
        f"{name}: the text says {stated} s, the recorded default run took {seconds} s"
    )
