# Sourced by .ci/run after node24.sh: put npm 12 (the current npm, which runs no dependency install script that
# package.json's allowScripts does not name) first on PATH, from the `npm` package of the npm registry.
npm_major() { npm --version 2>/dev/null | cut -d. -f1; }
if [ "$(npm_major)" != "12" ]; then
  npm12_home="${XDG_CACHE_HOME:-$HOME/.cache}/dropscribe/npm12"
  if [ ! -x "$npm12_home/node_modules/.bin/npm" ]; then
    mkdir -p "$npm12_home"
    npm install --prefix "$npm12_home" --no-save --no-audit --no-fund "npm@12" >/dev/null
  fi
  export PATH="$npm12_home/node_modules/.bin:$PATH"
fi
echo "ci: npm $(npm --version) ($(command -v npm))"
