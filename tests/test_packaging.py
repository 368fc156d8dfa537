"""What a student installs and reads first: the README's instructions work as written,
the extras install what the instructions then run, and the metadata says what holds.

Read from the installed package's metadata (``importlib.metadata``), so the checks hold
for what pip actually installed, on every supported Python.
"""

import ast
import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
LESSONS_README = (ROOT / "lessons" / "README.md").read_text(encoding="utf-8")


def requirements(extra: str) -> list[str]:
    """The requirement strings of ``extra``, as pip reads them."""
    marker = re.compile(rf"""extra\s*==\s*["']{re.escape(extra)}["']""")
    return [r for r in metadata.requires("minae") or [] if marker.search(r)]


def names(requirements_: list[str]) -> set[str]:
    return {re.split(r"[\[<>=;! ]", r, maxsplit=1)[0].lower() for r in requirements_}


def code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def test_no_instruction_installs_minae_from_an_index_it_is_not_on():
    # minae is installed from the clone; `pip install "minae[...]"` would fail
    for text in (README, LESSONS_README):
        assert not re.search(r"pip install \S*[\"']?minae\b", text)


def test_the_quick_start_makes_a_virtual_environment_and_installs_once():
    bash, powershell = code_blocks(README, "bash")[0], code_blocks(README, "powershell")[0]
    for block in (bash, powershell):
        assert "-m venv .venv" in block
        assert block.count("pip install") == 1
        assert 'pip install -e ".[dev]"' in block
    assert "MINAE_DATA" in README.split("## Data")[0]  # and says how to point at the data


def test_the_powershell_steps_use_nothing_powershell_refuses():
    # Windows PowerShell 5 has no `&&`, and `VAR=1 cmd` is not a PowerShell command
    block = code_blocks(README, "powershell")[0]
    assert "&&" not in block
    assert not re.search(r"^\s*[A-Z_]+=\S+\s+\S", block, flags=re.M)
    assert "Activate.ps1" in block


def test_the_lessons_extra_installs_what_the_lessons_readme_runs():
    lessons = names(requirements("lessons"))
    assert {"jupyterlab", "jupytext", "ipykernel"} <= lessons  # `jupyter lab`, `jupytext`
    assert "jupyter lab" in LESSONS_README and "jupytext --to notebook" in LESSONS_README
    assert {"nbclient", "jupytext", "ipykernel"} <= names(requirements("dev"))  # the tests


def test_the_gpu_extras_bring_cudas_libraries_and_skip_macos():
    for extra, wheel in (("gpu-cuda12", "cupy-cuda12x"), ("gpu-cuda13", "cupy-cuda13x")):
        (requirement,) = requirements(extra)
        assert requirement.startswith(f"{wheel}[ctk]")  # the toolkit's libraries, from pip
        assert re.search(r"""sys_platform\s*!=\s*["']darwin["']""", requirement)


def test_the_metadata_says_what_holds():
    meta = metadata.metadata("minae")
    classifiers = meta.get_all("Classifier") or []
    supported = {c.rsplit(" :: ", 1)[1] for c in classifiers if re.match(r".*Python :: 3\.\d+$", c)}
    assert supported == {"3.10", "3.11", "3.12", "3.13"}  # what nox tests (noxfile.py)
    assert meta["Requires-Python"] == ">=3.10"
    assert "Typing :: Typed" in classifiers and (ROOT / "minae" / "py.typed").is_file()
    assert meta["Keywords"] and "autoencoder" in meta["Keywords"]
    numpy_floor = [r for r in metadata.requires("minae") or [] if r.startswith("numpy")]
    assert numpy_floor == ["numpy>=1.26"]  # the oldest NumPy the nox session installs
    noxfile = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    (oldest,) = [
        node.value.value
        for node in noxfile.body
        if isinstance(node, ast.Assign)
        and [getattr(t, "id", "") for t in node.targets] == ["OLDEST_NUMPY"]
    ]
    assert oldest.startswith(numpy_floor[0].removeprefix("numpy>=") + ".")  # nox: the floor


def test_what_the_tools_write_is_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert {"minae-out/", "lesson-out/", "lessons/out/", ".venv/"} <= set(ignored)


def test_an_untrusted_certificate_store_is_explained():
    # python.org's macOS Python has no certificates until Install Certificates is run
    from minae.datasets.download import FetchError, offline_help

    error = FetchError("could not download x: <urlopen error [SSL: CERTIFICATE_VERIFY_FAILED]>")
    message = str(offline_help(error, "mnist"))
    assert "Install Certificates.command" in message
    assert "python -m minae.datasets.fetch mnist --from FOLDER" in message
    assert "Install Certificates" not in str(offline_help(FetchError("refused"), "mnist"))
