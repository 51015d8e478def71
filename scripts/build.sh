#!/usr/bin/env bash
# Builds the frozen kiosk (PyInstaller one-folder) into dist/virtu-kiosk/ and checks that it
# starts: it renders the home screen offscreen to dist/virtu-kiosk-home.png.
#   bash scripts/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/pyinstaller ] || bash scripts/install.sh --tests
START=$SECONDS
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN --workpath build/pyinstaller --distpath dist kiosk.spec
echo "build: dist/virtu-kiosk in $((SECONDS - START)) s, $(du -sh dist/virtu-kiosk | cut -f1)"
VIRTU_DATA_DIR=$(mktemp -d) VIRTU_RAM_DIR=$(mktemp -d) QT_QPA_PLATFORM=offscreen \
  dist/virtu-kiosk/virtu-kiosk --demo --screenshot dist/virtu-kiosk-home.png --lang fi
echo "build: the built kiosk drew its home screen: dist/virtu-kiosk-home.png"
