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
        out[m.group(1)] = int(m.group(2))
    return out


def _progress(k, n, written) -> None:
    print(f"  [{k:2d}/{n}] {written.path.name}  ({written.seconds:.2f} s)", file=sys.stderr, flush=True)


def main_job(args) -> int:
    from .latex.folder import write_folder
    from .latex.pdf import have_pdflatex

    pdf = have_pdflatex() and not args.no_pdf
    out = Path(args.output)
    print(f"symconv: deriving the catalogue into {out}/ " + ("(LaTeX and PDF)" if pdf else "(LaTeX; no pdflatex, so no PDF)"),
          file=sys.stderr, flush=True)
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
    print("What a CNN convolution computes, proved step by step (every step checked symbolically and exactly):")
    seen = set()
    for w in written:
        if w.path.stem.startswith("identify-"):
            print(f"  read     {w.path.name}: {plain(w.title)}, decided exactly")
        elif w.steps == 0:
            print(f"  answer   {w.path.name}: the seed question, answered end to end")
        elif w.title not in seen:
            seen.add(w.title)
            print(f"  proved   {plain(w.title)}  [{w.steps} steps]")
    pdfs = sum(w.pdf is not None for w in written)
    print(f"{len(written)} documents ({pdfs} PDF) in {out}/ in {seconds:.1f} s.")
    print("In short: each output is the sum of element-wise products of a window and the kernel, which is the dot "
          "product of the flattened arrays; np.dot of the two matrices is a matrix product, not that number.")


def cmd_list(args) -> int:
    from .proofs import CATALOGUE, catalogue

    for name in catalogue():
        print(f"{name:52s} {plain(CATALOGUE[name]().title)}")
    return 0


def cmd_derive(args) -> int:
    from .latex.pdf import compile_pdf
    from .proofs import derive

    sizes = parse_sizes(args.size) if args.size else {}
    d = derive(args.name, **sizes)
    if args.output is None and not args.pdf:
        print(d.latex())
        return 0
    path = Path(args.output) if args.output else Path(f"{args.name}.tex")
    path.write_text(d.document(), encoding="utf-8")
    print(f"wrote {path}")
    if args.pdf:
        print(f"wrote {compile_pdf(path)}")
    return 0


def cmd_build(args) -> int:
    from .latex.folder import write_folder

    start = time.perf_counter()
    written = write_folder(Path(args.dir), pdf=args.pdf, progress=_progress)
    print(f"wrote {len(written)} documents to {args.dir}/ in {time.perf_counter() - start:.1f} s")
    return 0


def cmd_identify(args) -> int:
    from .identify import identify
    from .latex.formula_doc import identification_document
    from .latex.pdf import compile_pdf

    found = identify(args.latex)
    params = ", ".join(f"{k}={v}" for k, v in found.params.items())
    roles = f" of {found.input} (input) and {found.kernel} (kernel)" if found.input else ""
    print(f"{found.kind}{roles}" + (f"  [{params}]" if params else ""))
    print(found.explain())
    if args.output or args.pdf:
        path = Path(args.output or "identify.tex")
        path.write_text(identification_document(found), encoding="utf-8")
        print(f"wrote {path}")
        if args.pdf:
            print(f"wrote {compile_pdf(path)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="symconv", description="What a CNN convolution computes, decided exactly. With no command: "
                     "derive the built-in catalogue as LaTeX (and PDF where pdflatex is present).")
    parser.add_argument("-o", "--output", default=DEFAULT_OUT, help=f"folder for the main job's documents (default ./{DEFAULT_OUT})")
    parser.add_argument("--no-pdf", action="store_true", help="write LaTeX only, even if pdflatex is installed")
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
        return args.run(args)
    except SymconvError as err:
        print(f"symconv: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"symconv: error: {err.strerror or err}: {getattr(err, 'filename', '')}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("symconv: interrupted", file=sys.stderr)
        return 130
