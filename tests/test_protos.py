"""The committed stubs in libs/protos are exactly what `make proto` generates from proto/."""

import filecmp
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "libs" / "protos" / "src"


def generated_files(base: Path) -> set[Path]:
    return {p.relative_to(base) for p in base.rglob("*") if p.suffix in {".py", ".pyi"}}


def test_committed_stubs_match_proto_sources(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_protos.py"), str(tmp_path)], check=True)
    fresh, committed = generated_files(tmp_path), generated_files(COMMITTED)
    assert fresh == committed, "stub files differ: run `make proto` and commit"
    drifted = [str(p) for p in sorted(fresh) if not filecmp.cmp(tmp_path / p, COMMITTED / p, shallow=False)]
    assert drifted == [], f"stubs out of date with proto/: {drifted}; run `make proto` and commit"
