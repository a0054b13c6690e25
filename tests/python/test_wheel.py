"""Packaging: the wheel maturin builds is one abi3 wheel (CPython 3.9 and later) that installs
and imports in a fresh virtual environment without a Rust toolchain.

The build reuses the workspace's cargo target directory (``target/``): ``make test`` has just
built the module there with ``maturin develop --release`` (same crate, profile and features), so
``maturin build --release`` finds the compiled library fresh, links nothing new and only packs
the wheel (well under a second). The install takes numpy from PyPI, through pip's cache.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CRATE = ROOT / "nps-py"


def maturin() -> str:
    """The maturin of the environment running the tests (``.venv/bin/maturin``)."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which("maturin", path=path)
    if found is None:
        pytest.skip("maturin is not installed (pip install -r requirements-dev.txt)")
    return found


def without_rust(env: dict[str, str]) -> dict[str, str]:
    """``env`` with no Rust toolchain: PATH without the directories holding cargo, rustc or
    rustup (~/.cargo/bin, rustup toolchains), CARGO and RUSTC set to /bin/false, and nothing
    pointing into the development environment (VIRTUAL_ENV, PYTHONPATH)."""

    def has_rust(entry: str) -> bool:
        return (
            any((Path(entry) / tool).exists() for tool in ("cargo", "rustc", "rustup"))
            or ".cargo" in Path(entry).parts
            or ".rustup" in Path(entry).parts
        )

    env = {k: v for k, v in env.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}}
    path = env.get("PATH", "").split(os.pathsep)
    env["PATH"] = os.pathsep.join(p for p in path if p and not has_rust(p))
    env.update(CARGO="/bin/false", RUSTC="/bin/false", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def run(command: list[str], timeout: float, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """``command``'s completed process; a failure shows its output."""
    out = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    assert out.returncode == 0, f"{' '.join(command)} failed:\n{out.stdout}\n{out.stderr}"
    return out


def test_the_abi3_wheel_installs_and_runs_without_rust(tmp_path: Path) -> None:
    # Build: the workspace's target directory, as `make develop` left it.
    wheels = tmp_path / "wheels"
    run([maturin(), "build", "--release", "--out", str(wheels)], timeout=600, cwd=CRATE)
    [wheel] = list(wheels.glob("*.whl"))
    assert re.fullmatch(r"nps-[^-]+-cp39-abi3-[^-]+\.whl", wheel.name), wheel.name

    # A fresh environment, without the system's site-packages.
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], timeout=120)
    assert "include-system-site-packages = false" in (venv / "pyvenv.cfg").read_text()
    python = str(venv / "bin" / "python")

    # Install with no Rust anywhere: only wheels (--only-binary), no cargo or rustc on PATH.
    env = without_rust(dict(os.environ))
    for tool in ("cargo", "rustc", "rustup"):
        assert shutil.which(tool, path=env["PATH"]) is None, tool
    run(
        [python, "-m", "pip", "install", "--quiet", "--only-binary", ":all:", str(wheel)],
        timeout=300,
        env=env,
        cwd=tmp_path,
    )

    # Import it from there (not from the source tree) and compute.
    code = "import nps; print(nps.__file__); print(nps.score([10, 9, 3]).nps)"
    where, value = run([python, "-c", code], timeout=60, env=env, cwd=tmp_path).stdout.split()
    assert Path(where).is_relative_to(venv)
    assert float(value) == pytest.approx(100 / 3, abs=1e-12)
