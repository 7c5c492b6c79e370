"""The ``symconv`` command: the main job, ``list``, ``derive``, ``build`` and ``identify``.

Errors are one line on stderr with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from .errors import SymconvError

DEFAULT_OUT = "symconv-derivations"


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse prints the usage too)
        print(f"{self.prog}: error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)


def parse_sizes(text: str) -> dict:
    """``"H=5,W=5,kh=3"`` -> ``{"H": 5, "W": 5, "kh": 3}``, read without eval.

    >>> parse_sizes("H=5, W=5,kh=3")
    {'H': 5, 'W': 5, 'kh': 3}
    >>> parse_sizes("H=five")
    Traceback (most recent call last):
    ...
    symconv.errors.InvalidArgumentError: --size 'H=five' is not valid; expected NAME=INTEGER pairs separated by commas, e.g. H=5,W=5,kh=3,kw=3
    """
    from .errors import InvalidArgumentError

    out = {}
    for part in text.split(","):
        m = re.fullmatch(r"\s*([A-Za-z_]\w{0,15})\s*=\s*(\d{1,4})\s*", part)
        if m is None:
            raise InvalidArgumentError(f"--size {text!r} is not valid; expected NAME=INTEGER pairs separated by commas, "
                                       "e.g. H=5,W=5,kh=3,kw=3")
        if m.group(1) in out:
            raise InvalidArgumentError(f"--size {text!r} gives {m.group(1)} twice; expected each size once")
        out[m.group(1)] = int(m.group(2))
    return out


def output_paths(output, pdf: bool, default: str):
    """The ``.tex`` to write and whether to compile it, for ``-o FILE.tex`` or ``-o FILE.pdf``.

    >>> output_paths("notes.pdf", False, "x.tex")
    (PosixPath('notes.tex'), True)
    >>> output_paths("notes.txt", False, "x.tex")
    Traceback (most recent call last):
    ...
    symconv.errors.InvalidArgumentError: -o 'notes.txt' has the suffix '.txt'; expected a .tex file (or .pdf, which writes the .tex beside it and compiles it)
    """
    from .errors import InvalidArgumentError

    path = Path(output) if output else Path(default)
    if path.suffix == ".pdf":
        return path.with_suffix(".tex"), True
    if path.suffix != ".tex":
        raise InvalidArgumentError(f"-o {str(path)!r} has the suffix {path.suffix!r}; expected a .tex file (or .pdf, "
                                   f"which writes the .tex beside it and compiles it)")
    return path, pdf


def _progress(k, n, written) -> None:
    print(f"  [{k:2d}/{n}] {written.path.name}  ({written.seconds:.2f} s)", file=sys.stderr, flush=True)


def main_job(args) -> int:
    from .documents.folder import write_folder
    from .documents.pdf import have_pdflatex

    pdf = have_pdflatex() and not args.no_pdf
    out = Path(args.output)
    how = "(LaTeX and PDF)" if pdf else ("(LaTeX only: --no-pdf)" if args.no_pdf else "(LaTeX; no pdflatex, so no PDF)")
    print(f"symconv: deriving the catalogue into {out}/ {how}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    written = write_folder(out, pdf=pdf, progress=_progress)
    _summary(written, time.perf_counter() - start, out)
    return 0


def plain(text: str) -> str:
    """A LaTeX title as terminal text.

    >>> plain(r"A $1 \\times 1$ convolution and \\texttt{np.dot}")
    'A 1 x 1 convolution and np.dot'
    """
    text = re.sub(r"\\texttt\{([^}]*)\}", r"\1", text)
    return text.replace(r"\times", "x").replace("$", "")


def _summary(written, seconds, out) -> None:
    print("What a CNN convolution computes, proved step by step (every step accepted by the proof kernel, its side "
          "conditions decided for every size):")
    seen = set()
    from .documents.book import NAME as BOOK

    for w in written:
        if w.path.stem == BOOK:
            print(f"  book     {w.path.name}: all of the documents in one, with contents")
        elif w.path.stem.startswith("identify-"):
            continue  # one line for all of them, below
        elif w.steps == 0:
            print(f"  answer   {w.path.name}: the seed question, answered end to end")
        elif w.title not in seen:
            seen.add(w.title)
            print(f"  proved   {plain(w.title)}  [{w.steps} steps]")
    formulas = [w for w in written if w.path.stem.startswith("identify-")]
    if formulas:
        print(f"  read     {len(formulas)} formulas from the seed discussions and a textbook (identify-*.tex), each "
              f"decided exactly")
    pdfs = sum(w.pdf is not None for w in written)
    print(f"{len(written)} documents ({pdfs} PDF) in {out}/ in {seconds:.1f} s.")
    print("In short: each output is the sum of element-wise products of a window and the kernel, which is the dot "
          "product of the flattened arrays; np.dot of the two matrices is a matrix product, not that number.")


def cmd_list(args) -> int:
    from .entries import ENTRIES, names  # plain data: no SymPy, no derivation built

    for name in names():
        e = ENTRIES[name]
        print(f"{name:52s} {plain(e.title)}  [--size {','.join(f'{s}=N' for s in e.sizes)}]")
    return 0


def cmd_derive(args) -> int:
    from .documents.pdf import compile_pdf, write_text
    from .proofs import derive

    sizes = parse_sizes(args.size) if args.size else {}
    path, pdf = output_paths(args.output, args.pdf, f"{args.name}.tex")
    d = derive(args.name, **sizes)
    if args.output is None and not args.pdf:
        print(d.latex())
        return 0
    write_text(path, d.document())
    print(f"wrote {path}")
    if pdf:
        print(f"wrote {compile_pdf(path)}")
    return 0


def cmd_build(args) -> int:
    from .documents.folder import write_folder

    start = time.perf_counter()
    written = write_folder(Path(args.dir), pdf=args.pdf, progress=_progress)
    print(f"wrote {len(written)} documents to {args.dir}/ in {time.perf_counter() - start:.1f} s")
    return 0


def cmd_identify(args) -> int:
    from .identify import identify
    from .documents.formula_doc import identification_document
    from .documents.pdf import compile_pdf, write_text

    path, pdf = output_paths(args.output, args.pdf, "identify.tex")
    found = identify(args.latex)
    params = ", ".join(f"{k}={v}" for k, v in found.params.items())
    roles = f" of {found.input} (input) and {found.kernel} (kernel)" if found.input else ""
    print(f"{found.kind}{roles}" + (f"  [{params}]" if params else ""))
    print(found.explain())
    if args.output or args.pdf:
        write_text(path, identification_document(found))
        print(f"wrote {path}")
        if pdf:
            print(f"wrote {compile_pdf(path)}")
    return 0


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("symconv")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "0.1.0 (not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="symconv", description="What a CNN convolution computes, decided exactly. With no command: "
                     "derive the built-in catalogue as LaTeX (and PDF where pdflatex is present).")
    parser.add_argument("-o", "--output", default=DEFAULT_OUT, help=f"folder for the main job's documents (default ./{DEFAULT_OUT})")
    parser.add_argument("--no-pdf", action="store_true", help="write LaTeX only, even if pdflatex is installed")
    parser.add_argument("--version", action="version", version=f"symconv {_version()}")
    parser.set_defaults(run=main_job)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    p = sub.add_parser("list", help="the catalogue of derivations")
    p.set_defaults(run=cmd_list)
    p = sub.add_parser("derive", help="one derivation, as LaTeX")
    p.add_argument("name", help="a name from `symconv list`")
    p.add_argument("--size", help="concrete sizes, e.g. H=5,W=5,kh=3,kw=3 (default: general sizes)")
    p.add_argument("-o", "--output", help="write a standalone document to this .tex file (default: print the align* block)")
    p.add_argument("--pdf", action="store_true", help="also compile the document with pdflatex")
    p.set_defaults(run=cmd_derive)
    p = sub.add_parser("build", help="regenerate a folder of derivations (the repository's derivations/)")
    p.add_argument("dir", help="the folder to write")
    p.add_argument("--pdf", action="store_true", help="also compile each document with pdflatex")
    p.set_defaults(run=cmd_build)
    p = sub.add_parser("identify", help="what a LaTeX formula computes (correlation, convolution, ...)",
                       description="Read a LaTeX formula and say what it computes, decided exactly. Example: "
                       r"symconv identify 'C[m,n] = \sum_u \sum_v A[m+u, n+v] B[u,v]'")
    p.add_argument("latex", help="the formula, in quotes")
    p.add_argument("-o", "--output", help="also write a document (.tex) with the exact comparison")
    p.add_argument("--pdf", action="store_true", help="also compile the document with pdflatex")
    p.set_defaults(run=cmd_identify)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status = args.run(args)
        sys.stdout.flush()  # inside the try: a closed pipe shows here, not at exit
        return status
    except BrokenPipeError:  # `symconv list | head -1`: the reader has what it wanted
        _quiet_stdout()
        return 0
    except SymconvError as err:
        print(f"symconv: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"symconv: error: {err.strerror or err}: {getattr(err, 'filename', '')}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("symconv: interrupted", file=sys.stderr)
        return 130


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that flushing at exit does not raise a second BrokenPipeError."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
