"""Build the portal's one stylesheet from the NL Design System package and the portal's CSS.

`python -m portal.web.cssbuild` (run by scripts/bootstrap.sh, skipped when up to date):

1. fetches the version of `@utrecht/component-library-css` pinned with its checksum in
   `nlds.lock.json` (with `npm pack`, cached, checked against the lock's sha512);
2. keeps only the rules whose classes the templates and the code use, and only the design
   tokens those rules read (portal.web.csspurge), followed by the portal's own
   `static/css/` files, purged the same way;
3. writes `static/build/portal.<hash>.css`, a `.gz` and a `.br` beside it, the package's
   licence, and `manifest.json`, which the layout reads to link the stylesheet.

The files under static/build/ are generated, not committed: never edit them.
`python -m portal.web.cssbuild --lock VERSION` pins another version of the package.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import brotli

from portal.paths import PROJECT_ROOT, STATIC_FILES, TEMPLATES
from portal.web import csspurge

LOCK = Path(__file__).with_name("nlds.lock.json")
OWN_CSS = [STATIC_FILES / "css" / name for name in ("theme.css", "portal.css", "charts.css")]
OUTPUT = STATIC_FILES / "build"
MANIFEST = OUTPUT / "manifest.json"
ENTRY = "portal.css"
PACKAGE_CSS = "package/dist/index.css"
PACKAGE_LICENCE = "package/LICENSE.md"
# Builds kept, the newest included: pages served before a restart still find their stylesheet.
KEPT_BUILDS = 3


class BuildError(RuntimeError):
    """The stylesheet could not be built; the message says why."""


def class_sources() -> list[Path]:
    """The files whose words may be class names: every template and the portal's code."""
    return sorted([*TEMPLATES.rglob("*.html"), *(PROJECT_ROOT / "portal").rglob("*.py")])


def cache_dir() -> Path:
    """Where fetched package tarballs are kept between builds."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "opnameloket" / "npm"


def read_lock() -> dict:
    """The pinned package: name, version and sha512 integrity."""
    return json.loads(LOCK.read_text(encoding="utf-8"))


def _integrity(data: bytes) -> str:
    """An npm integrity string (Subresource Integrity, sha512) for a tarball."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _npm() -> str:
    """The npm command, or a clear error when it is missing."""
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm is needed to fetch the NL Design System package: "
                         "install Debian's npm (scripts/bootstrap.sh does)")
    return npm


def fetch_package(lock: dict) -> bytes:
    """The pinned package's tarball, from the cache or the npm registry, checksum verified."""
    cached = cache_dir() / f"{lock['name'].replace('/', '-')}-{lock['version']}.tgz"
    if cached.is_file() and _integrity(cached.read_bytes()) == lock["integrity"]:
        return cached.read_bytes()
    cached.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [_npm(), "pack", "--json", "--pack-destination", str(cached.parent),
         f"{lock['name']}@{lock['version']}"],
        capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BuildError(f"npm pack {lock['name']}@{lock['version']} failed:\n{result.stderr}")
    packed = cached.parent / json.loads(result.stdout)[0]["filename"]
    data = packed.read_bytes()
    if _integrity(data) != lock["integrity"]:
        packed.unlink()
        raise BuildError(f"{lock['name']}@{lock['version']} does not match nlds.lock.json")
    packed.replace(cached)
    return data


def _member(tarball: bytes, name: str) -> str:
    """One text file from a package tarball."""
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        member = archive.extractfile(name)
        if member is None:
            raise BuildError(f"{name} is missing from the package")
        return member.read().decode("utf-8")


def inputs_digest(lock: dict, used: csspurge.UsedWords) -> str:
    """A digest of everything the build reads: unchanged means the built file is current."""
    digest = hashlib.sha256(json.dumps(lock, sort_keys=True).encode())
    for path in (Path(__file__), Path(csspurge.__file__), *OWN_CSS):
        digest.update(path.read_bytes())
    digest.update("\n".join(sorted(used.words)).encode())
    digest.update(repr(sorted(used.shapes)).encode())
    return digest.hexdigest()


def read_manifest() -> dict | None:
    """The manifest of the last build, or None when there is none."""
    try:
        return json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def compose(library_css: str, own_css: list[str], used: csspurge.UsedWords, lock: dict) -> str:
    """The minified stylesheet: the purged library, then the portal's own purged CSS."""
    rules = csspurge.purge(library_css, used)
    for css in own_css:
        rules += csspurge.purge(css, used)
    rules = csspurge.keyframes_used(csspurge.drop_unused_tokens(rules))
    header = (f"/*! {lock['name']} {lock['version']} (EUPL-1.2, Gemeente Utrecht, Frameless "
              "B.V.; see nlds-LICENSE.md), only the rules the portal uses, and the portal's "
              "own styles. Built by portal/web/cssbuild.py: do not edit. */")
    return f'@charset "UTF-8";\n{header}\n{csspurge.serialize(rules)}\n'


def _write(path: Path, data: bytes) -> None:
    """Write a file whole, so that a server never reads half of it."""
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)


def build(force: bool = False) -> tuple[Path, bool]:
    """Build the stylesheet unless it is up to date; the built file and whether it was built."""
    lock = read_lock()
    used = csspurge.used_words(class_sources())
    digest = inputs_digest(lock, used)
    manifest = read_manifest()
    if (not force and manifest and manifest.get("inputs") == digest
            and (OUTPUT / manifest["files"][ENTRY]).is_file()):
        return OUTPUT / manifest["files"][ENTRY], False
    tarball = fetch_package(lock)
    css = compose(_member(tarball, PACKAGE_CSS),
                  [path.read_text(encoding="utf-8") for path in OWN_CSS], used, lock)
    data = css.encode("utf-8")
    name = f"portal.{hashlib.sha256(data).hexdigest()[:12]}.css"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    _write(OUTPUT / name, data)
    # Compressed once here at the best level, so that the server never compresses per request.
    _write(OUTPUT / f"{name}.gz", gzip.compress(data, compresslevel=9, mtime=0))
    _write(OUTPUT / f"{name}.br", brotli.compress(data, quality=11))
    _write(OUTPUT / "nlds-LICENSE.md", _member(tarball, PACKAGE_LICENCE).encode("utf-8"))
    _write(MANIFEST, json.dumps({"inputs": digest, "files": {ENTRY: name}}, indent=1).encode())
    _remove_old_builds(keep=name)
    return OUTPUT / name, True


def _remove_old_builds(keep: str) -> None:
    """Remove all but the last few builds: a server still running the old code links those."""
    older = sorted((p for p in OUTPUT.glob("portal.*.css") if p.name != keep),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in older[KEPT_BUILDS - 1:]:
        for path in OUTPUT.glob(stale.name + "*"):
            path.unlink()


def pin(version: str) -> dict:
    """Write nlds.lock.json for another version of the package, with its registry checksum."""
    name = read_lock()["name"]
    result = subprocess.run([_npm(), "view", "--json", f"{name}@{version}", "dist.integrity"],
                            capture_output=True, text=True, check=True)
    lock = {"name": name, "version": version, "integrity": json.loads(result.stdout)}
    LOCK.write_text(json.dumps(lock, indent=2) + "\n", encoding="utf-8")
    return lock


def main(argv: list[str] | None = None) -> int:
    """Build the stylesheet (or pin a version) from the command line."""
    parser = argparse.ArgumentParser(description="Build the portal's stylesheet.")
    parser.add_argument("--force", action="store_true", help="build even when up to date")
    parser.add_argument("--lock", metavar="VERSION", help="pin this package version instead")
    args = parser.parse_args(argv)
    try:
        if args.lock:
            print(f"Pinned {json.dumps(pin(args.lock))}")
            return 0
        path, built = build(force=args.force)
    except BuildError as error:
        print(f"Stylesheet not built: {error}", file=sys.stderr)
        return 1
    if built:
        print(f"Built {path.relative_to(PROJECT_ROOT)} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
