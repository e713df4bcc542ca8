#!/usr/bin/env bash
# Build the reference outputs of sdg-build 2.3.0 (the Open SDG data builder) offline, for the
# Open SDG repositories under ../shared/data/opensdg, so that tools/sdgbuild_parity.py can compare
# sdgtrack's site files with them. This only drives a separately installed sdg-build; nothing of it
# is part of sdgtrack.
#
#   tools/run_sdgbuild.sh [uk] [canada] [rwanda]     (default: all three)
#
# Environment (defaults in brackets):
#   SDGBUILD_HOME  [/work/sdgbuild]      holds the sdg-build, sdg-translations and yamlmd checkouts,
#                                        the venv and the prepared repository copies
#   SDGBUILD_OUT   [/work/sdgbuild-out]  receives <repo>/ (the built site: en/, fr/, untranslated/ ...)
#   OPENSDG_DATA   [<worktree>/../shared/data/opensdg]
#
# The three sources must already be on disk (no network at build time): clones of
# open-sdg/sdg-build (tag 2.3.0), open-sdg/sdg-translations (all tags) and dougmet/yamlmd in
# $SDGBUILD_HOME/{sdg-build,sdg-translations,yamlmd}. The venv is made on first use:
# pandas 1.5.3 (sdg-build needs pandas<2, which needs numpy<2), yamlmd and sdg-build from source.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
home="${SDGBUILD_HOME:-/work/sdgbuild}"
out="${SDGBUILD_OUT:-/work/sdgbuild-out}"
data="${OPENSDG_DATA:-$here/../shared/data/opensdg}"
data="$(cd "$data" && pwd)"
repos=("$@")
[ ${#repos[@]} -eq 0 ] && repos=(uk canada rwanda)

for d in sdg-build sdg-translations yamlmd; do
  [ -d "$home/$d/.git" ] || { echo "missing $home/$d (a git clone of its public repository)" >&2; exit 2; }
done
if [ ! -x "$home/venv/bin/python" ]; then
  git -C "$home/sdg-build" checkout -q 2.3.0
  python3 -m venv "$home/venv"
  "$home/venv/bin/pip" install -q 'pandas==1.5.3' 'numpy<2' "$home/yamlmd" "$home/sdg-build"
fi
py="$home/venv/bin/python"
mkdir -p "$out" "$home/repos"

for repo in "${repos[@]}"; do
  src="$data/$repo"
  [ -f "$src/config_data.yml" ] || { echo "no $src/config_data.yml" >&2; exit 2; }
  work="$home/repos/$repo"
  rm -rf "$work"
  mkdir -p "$work"
  cp -a "$src/." "$work/"
  # sdg-build reads each file's "last updated" date from git history: one commit with a fixed
  # date makes the dates (and so the outputs) the same on every run.
  (
    cd "$work"
    git init -q
    git add -A
    GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z' \
      git -c user.name=sdgbuild -c user.email=sdgbuild@localhost commit -q -m snapshot
  )
  # The offline config: translations from the local sdg-translations clone (same tag), map layers
  # only when their geojson is a local file that exists, no global SDMX output (it downloads the
  # DSD from the SDMX registry), and a relative site_dir (the config's value wins over the argument).
  "$py" - "$work" "$home/sdg-translations" <<'PY'
import os, sys, yaml
work, translations = sys.argv[1], sys.argv[2]
with open(os.path.join(work, 'config_data.yml'), encoding='utf-8') as f:
    config = yaml.safe_load(f)
for t in config.get('translations') or []:
    if t.get('class') == 'TranslationInputSdgTranslations':
        t['source'] = 'file://' + translations
    elif t.get('class') == 'TranslationInputYaml' and not os.path.isdir(os.path.join(work, t['source'])):
        os.makedirs(os.path.join(work, t['source']))
config['map_layers'] = [
    layer for layer in config.get('map_layers') or []
    if '://' not in layer['geojson_file'] and os.path.isfile(os.path.join(work, layer['geojson_file']))
]
config.pop('sdmx_output_global', None)
config['site_dir'] = '_site'
with open(os.path.join(work, 'offline_config.yml'), 'w', encoding='utf-8') as f:
    yaml.safe_dump(config, f, sort_keys=False, allow_unicode=True)
PY
  echo "== sdg-build on $repo"
  start=$(date +%s)
  ( cd "$work" && "$py" -c "import sdg; sdg.open_sdg_build(src_dir='', site_dir='_site', config='offline_config.yml')" ) \
    > "$home/repos/$repo.log" 2>&1 || { echo "sdg-build failed on $repo, see $home/repos/$repo.log" >&2; tail -20 "$home/repos/$repo.log" >&2; exit 1; }
  rm -rf "${out:?}/$repo"
  mv "$work/_site" "$out/$repo"
  echo "   $(find "$out/$repo" -type f | wc -l) files in $out/$repo ($(( $(date +%s) - start )) s)"
done
