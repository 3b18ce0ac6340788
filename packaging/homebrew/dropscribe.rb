# Homebrew formula for dropscribe (a tap's Formula/dropscribe.rb; not in homebrew-core).
#
# How it was checked: written from Homebrew's "Node for Formula Authors" guide (std_npm_args, the registry tarball,
# the node formula) and checked with `ruby -c` only. No Mac and no Homebrew were available where it was written, so
# `brew install --build-from-source`, `brew test` and `brew audit --strict` have NOT been run: do that on a Mac
# before publishing, and fill in the sha256 of the registry tarball.
#
# The Node part installs like any npm command-line tool. The Python part is not vendored as Homebrew resources:
# dropscribe builds its stage environment (faster-whisper, ffmpeg, the offline models, about 1 GB) in the user's
# ~/Library/Application Support/dropscribe on first `dropscribe start` (or `dropscribe setup`), keyed by the stage
# package's version, so `brew upgrade` reuses it when the Python side did not change.
class Dropscribe < Formula
  desc "Background daemon: recordings dropped into a folder become SRT, VTT, TXT and JSON transcripts"
  homepage "https://www.npmjs.com/package/dropscribe"
  url "https://registry.npmjs.org/dropscribe/-/dropscribe-0.1.0.tgz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000" # fill in: shasum -a 256 of the tarball
  license "MIT"

  depends_on "node"
  depends_on "python@3.12"

  def install
    # better-sqlite3 needs its install script (its native binary); dropscribe's own postinstall would build the
    # Python environment inside the sandbox, which `dropscribe start` does for the user instead.
    ENV["DROPSCRIBE_SKIP_PYTHON"] = "1"
    system "npm", "install", *std_npm_args, "--allow-scripts=dropscribe,better-sqlite3"
    bin.install_symlink Dir["#{libexec}/bin/*"]
  end

  def caveats
    <<~EOS
      The first `dropscribe start` (or `dropscribe setup`) builds the Python stage environment in
        ~/Library/Application Support/dropscribe/python
      with #{Formula["python@3.12"].opt_bin}/python3.12 (set DROPSCRIBE_PYTHON to choose another).
      `dropscribe install` runs it at login as a LaunchAgent.
    EOS
  end

  test do
    assert_equal version.to_s, shell_output("#{bin}/dropscribe --version").strip
    assert_match "sqlite", shell_output("#{bin}/dropscribe doctor 2>&1", 1)
  end
end
