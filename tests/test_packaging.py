"""Issue 13 (in part): importing symconv costs nothing until it is used, and its names stay its own."""

from __future__ import annotations

import subprocess
import sys


def _child(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600,
                          check=True).stdout.strip()


def test_import_symconv_imports_no_sympy():
    assert _child("import sys, symconv; print('sympy' in sys.modules, 'numpy' in sys.modules)") == "False False"


def test_the_pytest_plugin_imports_nothing_heavy():
    assert _child("import sys, symconv.pytest_plugin; print('sympy' in sys.modules)") == "False"


def test_cli_help_imports_no_sympy():
    code = ("import sys, contextlib, io\nfrom symconv.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        main(['--help'])\n    except SystemExit:\n        pass\n"
            "print('sympy' in sys.modules)")
    assert _child(code) == "False"


def test_public_functions_named_like_submodules_stay_functions():
    code = ("import symconv.identify, symconv.trace, symconv.latex.printer, symconv as sc\n"
            "print(callable(sc.identify), callable(sc.trace), callable(sc.latex), sc.identify.__module__)")
    assert _child(code) == "True True True symconv.identify"


def test_every_public_name_resolves():
    import symconv as sc

    for name in sc.__all__:
        assert getattr(sc, name) is not None, name
