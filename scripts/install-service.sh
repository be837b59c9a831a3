#!/usr/bin/env bash
# Install one service into a new venv exactly as its image does, from the one lock (uv.lock):
#   1. its third-party dependencies as locked, hashes required, runtime only (`uv export --no-dev`:
#      no test or dev tool, no hotline-devstack);
#   2. our own packages (protos, common, the service) as wheels, non-editable, without dependencies.
# deploy/images/Dockerfile runs this, and so does tests/test_shipped_packages.py (into a fresh venv,
# from outside the checkout), so what the test starts is what the image holds.
#   scripts/install-service.sh SERVICE VENV      (WHEELS=dir reuses wheels built there; UV, PYTHON;
#                                                COMPILE_BYTECODE=0 skips the .pyc, for a writable venv)
set -euo pipefail
service=${1:?usage: install-service.sh SERVICE VENV}
venv=${2:?usage: install-service.sh SERVICE VENV}
root=$(cd "$(dirname "$0")/.." && pwd)
uv=${UV:-uv}
python=${PYTHON:-python3.11}
export UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1
case "$service" in
  intake|referrals|coordination|reporting) ;;
  *) echo "install-service.sh: unknown service '$service' (intake, referrals, coordination, reporting)" >&2; exit 2 ;;
esac
wheels=${WHEELS:-$(mktemp -d)}
mkdir -p "$wheels"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
requirements=$work/requirements.txt

"$uv" export --project "$root" --frozen --no-dev --no-emit-workspace --package "hotline-$service" \
  --format requirements-txt --quiet -o "$requirements"
"$uv" venv --quiet --python "$python" "$venv"
# Bytecode compiled at install: the pods' root filesystem is read-only, so it can't be written later.
compile=(--compile-bytecode)
[ "${COMPILE_BYTECODE:-1}" = 0 ] && compile=()
"$uv" pip install --quiet "${compile[@]}" --python "$venv/bin/python" --require-hashes --no-deps -r "$requirements"

ours=()
for package in libs/protos libs/common "services/$service"; do
  name=$(sed -n 's/^name = "\(.*\)"/\1/p' "$root/$package/pyproject.toml" | head -1 | tr - _)
  wheel=$(find "$wheels" -maxdepth 1 -name "$name-*.whl" | head -1)
  if [ -z "$wheel" ]; then
    # Built from a copy without build/ or egg-info leftovers: they could put stale files in the wheel,
    # and the build leaves none of its own in the checkout.
    mkdir -p "$work/$package"
    tar -C "$root/$package" --exclude=build --exclude='*.egg-info' --exclude=__pycache__ -cf - . \
      | tar -C "$work/$package" -xf -
    "$uv" build --quiet --wheel --out-dir "$wheels" "$work/$package"
    wheel=$(find "$wheels" -maxdepth 1 -name "$name-*.whl" | head -1)
  fi
  ours+=("$wheel")
done
"$uv" pip install --quiet "${compile[@]}" --python "$venv/bin/python" --no-deps "${ours[@]}"
