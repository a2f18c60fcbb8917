#!/usr/bin/env bash
# install-onnxruntime.sh: install the ONNX Runtime shared library (linux x64) that
# models/onnx loads, into a cache folder outside the repository:
#
#   ${VIGIE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vigie}/onnxruntime/1.30.0/libonnxruntime.so
#
# ONNX Runtime is not packaged by Debian. Its official linux x64 build ships inside the npm
# package onnxruntime-node, which this script fetches with the npm client (so the registry
# and any proxy come from npm's own configuration). Two checks guard the result:
#   1. the package tarball must match the integrity that the registry publishes for it;
#   2. the extracted library must match the sha256 pinned below.
#
# The last line of stdout is the path of the installed library, so that
#   ONNXRUNTIME_LIB=$(scripts/install-onnxruntime.sh | tail -1) go test ./models/...
# works. Progress goes to stderr. The script is idempotent (a second run only checks the
# sha256 and prints the path) and safe to run concurrently (files are renamed into place).
#
# Without npm, or on another OS/architecture: download the official release archive of
# ONNX Runtime 1.30.0 for your platform from the ONNX Runtime releases on GitHub, unpack it,
# and set ONNXRUNTIME_LIB to its lib/libonnxruntime.so (libonnxruntime.dylib on macOS).
set -euo pipefail

readonly ORT_VERSION="1.30.0"
readonly NPM_SPEC="onnxruntime-node@${ORT_VERSION}"
readonly MEMBER="package/bin/napi-v6/linux/x64/libonnxruntime.so.1"
# sha256 of ${MEMBER} in onnxruntime-node 1.30.0 (45,828,512 bytes), measured 2026-11-25.
readonly LIB_SHA256="ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23"

log() { printf 'install-onnxruntime: %s\n' "$*" >&2; }

die() {
	log "error: $*"
	cat >&2 <<EOF
install-onnxruntime: alternative: download the official release archive of ONNX Runtime
  ${ORT_VERSION} for your platform (onnxruntime-<os>-<arch>-${ORT_VERSION}.tgz from the
  ONNX Runtime releases on GitHub), unpack it, and set
  ONNXRUNTIME_LIB=/path/to/onnxruntime-<os>-<arch>-${ORT_VERSION}/lib/libonnxruntime.so
EOF
	exit 1
}

# sha256_of FILE prints the hex sha256 of FILE.
sha256_of() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256sum -- "$1" | cut -d' ' -f1
	elif command -v shasum >/dev/null 2>&1; then
		shasum -a 256 -- "$1" | cut -d' ' -f1
	elif command -v node >/dev/null 2>&1; then
		node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha256").update(f.readFileSync(process.argv[1])).digest("hex")+"\n")' "$1"
	else
		die "no sha256 tool found (need sha256sum, shasum or node)"
	fi
}

# sri_of FILE ALGO prints the subresource-integrity string (ALGO-base64) of FILE, as npm does.
sri_of() {
	node -e 'const c=require("crypto"),f=require("fs");const a=process.argv[2];process.stdout.write(a+"-"+c.createHash(a).update(f.readFileSync(process.argv[1])).digest("base64")+"\n")' "$1" "$2"
}

cache_root="${VIGIE_CACHE:-${XDG_CACHE_HOME:-${HOME:?HOME is not set; set VIGIE_CACHE}/.cache}/vigie}"
dest_dir="${cache_root}/onnxruntime/${ORT_VERSION}"
dest="${dest_dir}/libonnxruntime.so"

# Fast path: already installed and intact.
if [[ -f "$dest" ]] && [[ "$(sha256_of "$dest")" == "$LIB_SHA256" ]]; then
	if [[ ! -e "${dest}.1" ]]; then
		ln -sfn libonnxruntime.so "${dest}.1" 2>/dev/null || true
	fi
	log "already installed (sha256 ok)"
	printf '%s\n' "$dest"
	exit 0
fi

os="$(uname -s)"
arch="$(uname -m)"
if [[ "$os" != "Linux" || ( "$arch" != "x86_64" && "$arch" != "amd64" ) ]]; then
	die "this script installs the linux x64 library only; this machine is ${os} ${arch}"
fi
if ! command -v npm >/dev/null 2>&1; then
	die "npm is not installed (the library is fetched with: npm pack ${NPM_SPEC})"
fi
if ! command -v node >/dev/null 2>&1; then
	die "node is not installed (npm needs it, and it computes the tarball integrity)"
fi
command -v tar >/dev/null 2>&1 || die "tar is not installed"

mkdir -p "$dest_dir"
# The temporary folder lives beside the destination so that the final mv is a rename.
tmp="$(mktemp -d "${dest_dir}/.install.XXXXXX")"
trap 'rm -rf -- "$tmp"' EXIT

log "asking npm for the published integrity of ${NPM_SPEC}"
want_integrity="$(npm view "$NPM_SPEC" dist.integrity --loglevel=error | tail -1 | tr -d '[:space:]')" ||
	die "npm view ${NPM_SPEC} dist.integrity failed (offline? registry not reachable?)"
[[ "$want_integrity" == sha512-* ]] ||
	die "npm view ${NPM_SPEC} dist.integrity gave '${want_integrity}', expected a sha512-... value"

log "fetching ${NPM_SPEC} with npm pack (about 114 MB the first time; npm caches it)"
(cd "$tmp" && npm pack "$NPM_SPEC" --loglevel=error --ignore-scripts --pack-destination "$tmp" >/dev/null) ||
	die "npm pack ${NPM_SPEC} failed"
tarball="${tmp}/onnxruntime-node-${ORT_VERSION}.tgz"
[[ -f "$tarball" ]] || die "npm pack did not produce ${tarball##*/}"

got_integrity="$(sri_of "$tarball" sha512)"
if [[ "$got_integrity" != "$want_integrity" ]]; then
	die "tarball integrity mismatch for ${NPM_SPEC}: registry says ${want_integrity}, got ${got_integrity}"
fi
log "tarball integrity ok (${want_integrity:0:24}...)"

tar -xzf "$tarball" -C "$tmp" "$MEMBER" || die "cannot extract ${MEMBER} from ${tarball##*/}"
got_sha="$(sha256_of "${tmp}/${MEMBER}")"
if [[ "$got_sha" != "$LIB_SHA256" ]]; then
	die "sha256 mismatch for ${MEMBER}: pinned ${LIB_SHA256}, got ${got_sha}"
fi
log "library sha256 ok"

chmod 0755 "${tmp}/${MEMBER}"
mv -f -- "${tmp}/${MEMBER}" "$dest"
# libonnxruntime.so.1 is the library's soname; a relative symlink, also renamed into place.
ln -sfn libonnxruntime.so "${tmp}/libonnxruntime.so.1"
mv -f -T -- "${tmp}/libonnxruntime.so.1" "${dest}.1" 2>/dev/null ||
	mv -f -- "${tmp}/libonnxruntime.so.1" "${dest}.1"

log "installed ONNX Runtime ${ORT_VERSION}"
printf '%s\n' "$dest"
