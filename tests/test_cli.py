"""The command line: the main job, list, derive, build; errors are one line with exit status 2."""

import subprocess
import sys

import pytest

import symconv as sc

from symconv.cli import main
from symconv.proofs import catalogue


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_main_job_writes_the_seed_answer_and_every_catalogue_entry(tmp_path, capsys):
    code, out, err = run(capsys, "-o", str(tmp_path / "out"), "--no-pdf")
    assert code == 0
    written = sorted(p.name for p in (tmp_path / "out").glob("*.tex"))
    assert "00-what-does-a-cnn-layer-compute.tex" in written
    for name in catalogue():
        assert f"{name}.tex" in written
    assert "proved" in out and "documents" in out
    assert len(out.splitlines()) <= 24  # one screen
    assert "[ 1/" in err  # progress


def test_list_names_every_entry(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == catalogue()


def test_derive_prints_the_align_block_and_writes_documents(tmp_path, capsys):
    code, out, _ = run(capsys, "derive", "hadamard-sum-is-flattened-dot")
    assert code == 0 and out.startswith(r"\begin{align*}")
    target = tmp_path / "d.tex"
    code, out, _ = run(capsys, "derive", "correlation-is-im2col-matmul", "--size", "H=4,W=4,kh=2,kw=2", "-o", str(target))
    assert code == 0 and target.exists()
    text = target.read_text()
    assert r"\documentclass" in text and "A worked example" in text and "$H = 4$" in text


@pytest.mark.parametrize("argv,needle", [
    (["derive", "nope"], "name='nope'"),
    (["derive", "hadamard-sum-is-flattened-dot", "--size", "m=two"], "--size"),
    (["derive", "hadamard-sum-is-flattened-dot", "--size", "m=2"], "missing: n"),
    (["derive", "correlation-is-im2col-matmul", "--size", "H=2,W=5,kh=3,kw=3"], "H - k_h >= 0"),
    (["derive", "hadamard-sum-is-flattened-dot", "--size", "m=2,n=2,q=3"], "q=3"),
    (["--bogus"], "unrecognized arguments"),
    (["derive"], "name"),
])
def test_errors_are_one_line_with_exit_status_2(argv, needle, capsys):
    try:
        code = main(argv)
    except SystemExit as done:  # argparse's own errors
        code = done.code
    _, err = capsys.readouterr()
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert needle in lines[0] and "Traceback" not in err


def test_build_writes_a_folder_like_the_committed_one(tmp_path, capsys):
    code, out, _ = run(capsys, "build", str(tmp_path))
    assert code == 0
    from symconv.documents.folder import FORMULAS

    assert len(list(tmp_path.glob("*.tex"))) == len(catalogue()) + 1 + sum(1 for _ in tmp_path.glob("*-example.tex")) \
        + len(FORMULAS) + 1  # the combined book
    assert {p.stem for p in tmp_path.glob("identify-*.tex")} == set(FORMULAS)
    # the book holds every document, the seed answer first, in a section of its own, with contents
    book = (tmp_path / "symconv-notes.tex").read_text()
    assert r"\tableofcontents" in book and book.count(r"\section{") == len(list(tmp_path.glob("*.tex"))) - 1
    assert book.index("What does a convolution layer compute") < book.index(sc.derive(catalogue()[0]).title) < book.index("What a formula")


def test_help_everywhere_and_python_dash_m():
    for argv in ([], ["list"], ["derive"], ["build"], ["identify"]):
        done = subprocess.run([sys.executable, "-m", "symconv", *argv, "--help"], capture_output=True, text=True, timeout=600)
        assert done.returncode == 0 and "usage:" in done.stdout


def test_identify_command_names_the_kind_and_writes_a_document(tmp_path, capsys):
    # Goodfellow et al. eq. 9.6 writes (K*I) for what is, by its index i+m, a cross-correlation
    target = tmp_path / "f.tex"
    code, out, _ = run(capsys, "identify", r"S(i,j) = (K*I)(i,j) = \sum_m \sum_n I(i+m, j+n) K(m,n)", "-o", str(target))
    assert code == 0
    assert out.splitlines()[0].startswith("correlation of I (input) and K (kernel)")
    assert "calls this a convolution, but it is a cross-correlation" in out
    doc = target.read_text()
    assert r"\begin{document}" in doc and "not equal" in doc and "equal}, entry by entry" in doc


def test_identify_command_bad_latex_shows_the_position(capsys):
    code = main(["identify", r"\sum_{u x_u"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "never closed at position 5" in err and "^" in err and "Traceback" not in err


def test_version_and_list_sizes(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and capsys.readouterr().out.strip() == "symconv 0.1.0"
    assert main(["list"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("convolution-is-flipped-correlation") and "[--size " in first and "k_h=N" in first


def test_entries_table_matches_every_derivation():
    from symconv.entries import ENTRIES
    from symconv.proofs.catalogue import CATALOGUE

    assert set(ENTRIES) == set(CATALOGUE)
    for name, e in ENTRIES.items():
        d = CATALOGUE[name]()
        assert (d.name, d.title, tuple(d.size_names())) == (name, e.title, e.sizes)
        assert e.example is None or set(e.example) == set(e.sizes)


@pytest.mark.parametrize("argv", [["list"], ["--help"], ["list", "--help"]])
def test_list_and_help_import_no_sympy(argv):
    # issue 16, item 6: the table of contents is plain data; nothing heavy is imported to print it
    code = ("import sys\nfrom symconv.cli import main\ntry:\n    main(%r)\nexcept SystemExit:\n    pass\n"
            "print('SYMPY' if 'sympy' in sys.modules else 'LIGHT')" % (argv,))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert done.stdout.strip().splitlines()[-1] == "LIGHT", done.stdout[-500:] + done.stderr[-500:]
