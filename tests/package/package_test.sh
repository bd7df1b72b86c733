#!/usr/bin/env bash
# The Debian package, end to end: builds lagesbild_<version>_<arch>.deb (the package preset and
# cpack), checks its name, contents, dependencies and lintian (no errors), installs it with
# dpkg -i, runs the installed binary against the installed files only (from /, as the service
# user: the first user as the README says, a short serve, /healthz, the board page, one report
# over WebSocket and its ack, a restart that still has it), checks the unit with
# `systemd-analyze verify` (works without a running systemd) and purges the package again.
# The machine is left as it was: a trap purges the package and removes the system user if this
# run created them, on failure too.
#
# Needs root (dpkg -i). Not root: exit 77 (ctest's skip), or 1 when CI is set.
# LAGESBILD_DEB=FILE tests that package instead of building one.
set -euo pipefail

started=$(date +%s)
repo=$(cd "$(dirname "$0")/../.." && pwd)
note() { echo "package_test: $*"; }
fail() { echo "package_test: FAIL: $*" >&2; exit 1; }

if [ "$(id -u)" != 0 ]; then
  echo "package_test: needs root (dpkg -i, the system user); run it as root or with sudo" >&2
  if [ -n "${CI:-}" ]; then exit 1; fi
  exit 77
fi
for tool in dpkg dpkg-deb lintian systemd-analyze setpriv curl node readelf; do
  command -v "$tool" >/dev/null || fail "$tool is missing (bash scripts/install-deps.sh --test)"
done
if dpkg-query -W -f='${Status}' lagesbild 2>/dev/null | grep -q "ok installed\|config-files"; then
  # Never purge somebody's real installation.
  echo "package_test: lagesbild is already installed here; not touching it (dpkg --purge it first)" >&2
  if [ -n "${CI:-}" ]; then exit 1; fi
  exit 77
fi

work=$(mktemp -d /tmp/lagesbild-package-test.XXXXXX)
chmod 711 "$work"   # the service user must reach its state directory inside
server_pid=""
installed=0
user_existed=0
getent passwd lagesbild >/dev/null && user_existed=1
group_existed=0
getent group lagesbild >/dev/null && group_existed=1

cleanup() {
  local status=$?
  set +e
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null
  fi
  if [ "$installed" = 1 ]; then
    dpkg --purge lagesbild >"$work/purge.log" 2>&1 || cat "$work/purge.log" >&2
  fi
  if [ "$user_existed" = 0 ] && getent passwd lagesbild >/dev/null; then
    deluser --quiet --system lagesbild >/dev/null 2>&1 || userdel lagesbild
  fi
  if [ "$group_existed" = 0 ] && getent group lagesbild >/dev/null; then
    delgroup --quiet --system lagesbild >/dev/null 2>&1 || groupdel lagesbild
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

version=$(sed -n 's/^project(lagesbild VERSION \([0-9.]*\).*/\1/p' "$repo/CMakeLists.txt")
[ -n "$version" ] || fail "no version in project() of CMakeLists.txt"
arch=$(dpkg --print-architecture)

# --- build -------------------------------------------------------------------------------------
if [ -n "${LAGESBILD_DEB:-}" ]; then
  deb=$LAGESBILD_DEB
else
  cd "$repo"
  cmake --preset package >/dev/null
  # LAGESBILD_BUILD_LOCK: a lock file to build under, where builds share a machine (never hold
  # it around ctest, or this waits for itself).
  if [ -n "${LAGESBILD_BUILD_LOCK:-}" ]; then
    flock -w 3600 "$LAGESBILD_BUILD_LOCK" cmake --build --preset package
  else
    cmake --build --preset package
  fi
  rm -f build/package/lagesbild_*.deb
  (cd build/package && cpack -G DEB >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log" >&2; fail "cpack -G DEB"; }
  deb=$(ls build/package/lagesbild_*.deb)
  deb="$repo/$deb"
fi
[ "$(basename "$deb")" = "lagesbild_${version}_${arch}.deb" ] ||
  fail "package is named $(basename "$deb"), not lagesbild_${version}_${arch}.deb"
note "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

# --- what is in it -----------------------------------------------------------------------------
[ "$(dpkg-deb -f "$deb" Package)" = lagesbild ] || fail "Package is not lagesbild"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version is not $version"
depends=$(dpkg-deb -f "$deb" Depends)
depends_names=$(echo "$depends" | tr ',' '\n' | sed 's/^ *//; s/[ (].*//')
for dependency in adduser libc6 libsodium23 libsqlite3-0 libstdc++6; do
  echo "$depends_names" | grep -qxF "$dependency" || fail "Depends lacks $dependency: $depends"
done
dpkg-deb -c "$deb" | awk '{print $1, $2, $6}' | sed 's| \./| /|' > "$work/contents"
has() {  # has MODE PATH: the archive holds PATH (root-owned) with that mode
  grep -qx -- "$1 root/root $2" "$work/contents" || fail "the package lacks $2 ($1 root/root): $(grep -F " $2" "$work/contents" || echo missing)"
}
has -rwxr-xr-x /usr/bin/lagesbild
has -rw-r--r-- /lib/systemd/system/lagesbild.service
has -rw-r--r-- /etc/default/lagesbild
has -rw-r--r-- /etc/lagesbild/region.json
has -rw-r--r-- /usr/share/lagesbild/config/mellansverige.json
has -rw-r--r-- /usr/share/lagesbild/config/sydost.json
has -rw-r--r-- /usr/share/lagesbild/web/index.html
has -rw-r--r-- /usr/share/lagesbild/web/tib.html
has -rw-r--r-- /usr/share/lagesbild/scenarios/demo-10min.json
has -rw-r--r-- /usr/share/doc/lagesbild/copyright
has -rw-r--r-- /usr/share/doc/lagesbild/changelog.gz
has -rw-r--r-- /usr/share/man/man1/lagesbild.1.gz
for file in "$repo"/web/* "$repo"/scenarios/*.json "$repo"/config/*.json; do
  kind=$(basename "$(dirname "$file")")
  has -rw-r--r-- "/usr/share/lagesbild/$kind/$(basename "$file")"
done
if grep -Eq 'loadgen|unit_tests|/tests/|node_modules|/usr/lib/systemd|/usr/etc' "$work/contents"; then
  fail "the package holds what it should not: $(grep -E 'loadgen|unit_tests|/tests/|node_modules|/usr/lib/systemd|/usr/etc' "$work/contents")"
fi
dpkg-deb --ctrl-tarfile "$deb" | tar -tvf - | awk '{print $1, $6}' > "$work/control"
for script in postinst prerm postrm; do
  grep -qx -- "-rwxr-xr-x ./$script" "$work/control" || fail "control: $script is not 0755"
done
dpkg-deb -I "$deb" conffiles > "$work/conffiles"
for conffile in /etc/default/lagesbild /etc/lagesbild/region.json; do
  grep -qx "$conffile" "$work/conffiles" || fail "$conffile is not a conffile"
done
note "contents, modes, dependencies and conffiles as expected"

# --- lintian -----------------------------------------------------------------------------------
lintian_status=0
lintian --fail-on error --info "$deb" >"$work/lintian.log" 2>&1 || lintian_status=$?
grep -v 'running with root privileges' "$work/lintian.log" || true
[ "$lintian_status" = 0 ] || fail "lintian found errors (exit $lintian_status)"
note "lintian: no errors ($(grep -c '^W: ' "$work/lintian.log" || true) warnings)"

# --- install -----------------------------------------------------------------------------------
installed=1
dpkg -i "$deb" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "dpkg -i"; }
getent passwd lagesbild >/dev/null || fail "postinst made no user lagesbild"
[ "$(getent passwd lagesbild | cut -d: -f7)" = /usr/sbin/nologin ] || fail "lagesbild has a login shell"
[ "$(stat -c '%U:%G %a' /etc/lagesbild)" = "root:lagesbild 2770" ] ||
  fail "/etc/lagesbild is $(stat -c '%U:%G %a' /etc/lagesbild), not root:lagesbild 2770"
[ "$(stat -c '%U:%G %a' /etc/lagesbild/tls)" = "lagesbild:lagesbild 2750" ] ||
  fail "/etc/lagesbild/tls is $(stat -c '%U:%G %a' /etc/lagesbild/tls)"
note "installed: user lagesbild, /etc/lagesbild root:lagesbild 2770"

cd /   # nothing below may lean on the checkout
# (Outputs are captured before grep -q looks at them: with pipefail, grep -q leaving early could
# fail the writer with SIGPIPE and turn a finding into its opposite.)
sections=$(readelf -S /usr/bin/lagesbild)
if grep -q '\.symtab' <<<"$sections"; then fail "/usr/bin/lagesbild is not stripped"; fi
as_service() { setpriv --reuid=lagesbild --regid=lagesbild --init-groups -- "$@"; }

version_line=$(/usr/bin/lagesbild --version) || fail "lagesbild --version"
echo "$version_line" | grep -qw "$version" || fail "lagesbild --version says '$version_line', not $version"
serve_help=$(/usr/bin/lagesbild serve --help)
grep -q -- '--config TEXT=/usr/share/lagesbild/config/mellansverige.json' <<<"$serve_help" ||
  fail "the installed binary's default --config is not under /usr/share/lagesbild"
note "lagesbild --version: $version_line"

# The first user, the way the README's production install makes it: as the service user, into
# /etc/lagesbild/users.json (purge removes it). An admin, who may write in live (a binary from
# before the admin role: a trainer, who then could).
add_help=$(/usr/bin/lagesbild users add --help)
if grep -q 'admin' <<<"$add_help"; then role="admin"; else role="trainer"; fi
token=$(as_service /usr/bin/lagesbild users --users /etc/lagesbild/users.json \
          --config /etc/lagesbild/region.json add package-test --role "$role") ||
  fail "lagesbild users add as lagesbild into /etc/lagesbild/users.json"
[ "$(stat -c '%U:%G %a' /etc/lagesbild/users.json)" = "lagesbild:lagesbild 600" ] ||
  fail "users.json is $(stat -c '%U:%G %a' /etc/lagesbild/users.json), not lagesbild:lagesbild 600"
listed=$(as_service /usr/bin/lagesbild users --users /etc/lagesbild/users.json \
           --config /etc/lagesbild/region.json list)
grep -q "^package-test  *$role" <<<"$listed" || fail "lagesbild users list does not show the new $role"
note "first user made as lagesbild: package-test ($role), users.json lagesbild:lagesbild 600"

# A short serve as the service user, with the unit's files and the shipped LAGESBILD_OPTS (a
# free port instead of 8080), the defaults for --web and --scenarios, the event log in a
# temporary state directory.
state="$work/state"
install -d -o lagesbild -g lagesbild -m 700 "$state"
# shellcheck disable=SC1091
LAGESBILD_OPTS=$(. /etc/default/lagesbild; echo "${LAGESBILD_OPTS:-}")
# shellcheck disable=SC2001
options=$(echo "$LAGESBILD_OPTS" | sed 's/--port [0-9]*/--port 0/')
serve() {
  # setpriv directly (not through as_service): it execs the server, so $! is the server's pid.
  # shellcheck disable=SC2086
  setpriv --reuid=lagesbild --regid=lagesbild --init-groups -- /usr/bin/lagesbild serve \
    --config /etc/lagesbild/region.json --users /etc/lagesbild/users.json \
    --db "$state/lagesbild.db" $options >"$work/serve.log" 2>&1 &
  server_pid=$!
  port=""
  for _ in $(seq 100); do
    port=$(sed -n 's|.*listening on https\{0,1\}://[^:]*:\([0-9]*\)/.*|\1|p' "$work/serve.log")
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; fail "the server stopped at start"; }
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$work/serve.log" >&2; fail "the server did not listen within 10 s"; }
}
stop() {
  kill -TERM "$server_pid"
  local status=0
  wait "$server_pid" || status=$?
  server_pid=""
  [ "$status" = 0 ] || { cat "$work/serve.log" >&2; fail "the server exited $status on SIGTERM"; }
  grep -q 'lagesbild: stopped' "$work/serve.log" || fail "no graceful stop in the log"
}

serve
note "serving on 127.0.0.1:$port ($options)"
[ "$(curl -s -o "$work/healthz" -w '%{http_code}' "http://127.0.0.1:$port/healthz")" = 200 ] ||
  fail "GET /healthz: $(cat "$work/healthz")"
curl -sf "http://127.0.0.1:$port/" -o "$work/index.html" || fail "GET /"
cmp -s "$work/index.html" /usr/share/lagesbild/web/index.html ||
  fail "GET / is not /usr/share/lagesbild/web/index.html"
curl -sf "http://127.0.0.1:$port/tib.html" -o /dev/null || fail "GET /tib.html"
ack=$(node "$repo/tests/package/report.mjs" "$port" "$token" falun 17) || fail "the report over WebSocket"
note "report acknowledged: $ack"
stop

# The acknowledged report is in the log: a second start replays it.
serve
curl -sf "http://127.0.0.1:$port/api/state" -o "$work/state.json" || fail "GET /api/state"
node -e '
  const state = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).state;
  const falun = state.hospitals.find((h) => h.id === "falun");
  if (!falun || falun.beds.MedicalSurgical.available !== 17) {
    console.error("falun after the restart:", JSON.stringify(falun && falun.beds.MedicalSurgical));
    process.exit(1);
  }' "$work/state.json" || fail "the report is not there after a restart"
stop
[ "$(stat -c '%U %a' "$state/lagesbild.db")" = "lagesbild 600" ] ||
  fail "the event log is $(stat -c '%U %a' "$state/lagesbild.db"), not lagesbild 600"
note "restart replayed the report; the event log is lagesbild's, mode 600"

# Built-in TLS the way README's production install sets it up: a certificate and an owner-only
# key in /etc/lagesbild/tls/, the shipped commented LAGESBILD_OPTS line for it (a free port), and
# the board and /healthz over https with HSTS.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1 || fail "openssl req"
install -o lagesbild -g lagesbild -m 644 "$work/cert.pem" /etc/lagesbild/tls/cert.pem
install -o lagesbild -g lagesbild -m 600 "$work/key.pem" /etc/lagesbild/tls/key.pem
tls_line=$(sed -n 's/^#LAGESBILD_OPTS="\(.*--port 8443.*\)"$/\1/p' /etc/default/lagesbild)
[ -n "$tls_line" ] || fail "/etc/default/lagesbild has no commented line for built-in TLS on 8443"
options=$(echo "$tls_line" | sed 's/--port [0-9]*/--port 0/')
serve
grep -q "listening on https://" "$work/serve.log" || fail "the TLS line did not serve https"
headers=$(curl -sS --cacert "$work/cert.pem" -D - -o "$work/index-tls.html" "https://localhost:$port/") ||
  fail "GET https://localhost:$port/"
cmp -s "$work/index-tls.html" /usr/share/lagesbild/web/index.html || fail "GET / over https is not the board"
grep -qi '^strict-transport-security: max-age=31536000' <<<"$headers" || fail "no HSTS over https"
curl -sS --cacert "$work/cert.pem" "https://localhost:$port/healthz" -o "$work/healthz-tls" ||
  fail "GET /healthz over https"
grep -q '"tls":true' "$work/healthz-tls" || fail "/healthz over https does not say tls: $(cat "$work/healthz-tls")"
if curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$port/healthz"; then
  fail "plain HTTP was answered on the TLS port"
fi
stop
rm -f /etc/lagesbild/tls/cert.pem /etc/lagesbild/tls/key.pem  # purge keeps an admin's certificates
note "built-in TLS from the shipped line: the board and /healthz over https, HSTS, plain HTTP refused"

# --- the unit ----------------------------------------------------------------------------------
verify_status=0
systemd-analyze verify /lib/systemd/system/lagesbild.service >"$work/verify.log" 2>&1 || verify_status=$?
if [ "$verify_status" != 0 ] || [ -s "$work/verify.log" ]; then
  cat "$work/verify.log" >&2
  fail "systemd-analyze verify lagesbild.service"
fi
security=$(systemd-analyze security --offline=true /lib/systemd/system/lagesbild.service 2>&1 |
            sed -n 's/.*Overall exposure level for lagesbild.service: \([0-9.]*\).*/\1/p')
note "systemd-analyze verify: clean; exposure ${security:-?} (systemd-analyze security --offline)"
if [ -n "$security" ] && ! awk -v s="$security" 'BEGIN { exit !(s <= 2.0) }'; then
  fail "the unit's exposure level is $security (more than 2.0: sandboxing was lost)"
fi

# --- purge -------------------------------------------------------------------------------------
dpkg --purge lagesbild >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "dpkg --purge"; }
installed=0
for gone in /usr/bin/lagesbild /lib/systemd/system/lagesbild.service /etc/default/lagesbild \
            /etc/lagesbild /usr/share/lagesbild /etc/systemd/system/lagesbild.service \
            /etc/systemd/system/multi-user.target.wants/lagesbild.service \
            /var/lib/systemd/deb-systemd-helper-enabled/lagesbild.service.dsh-also \
            /var/lib/systemd/deb-systemd-helper-masked/lagesbild.service; do
  if [ -e "$gone" ] || [ -L "$gone" ]; then fail "$gone is still there after dpkg --purge"; fi
done
note "purged: nothing left in /usr, /lib/systemd or /etc"
note "PASS in $(( $(date +%s) - started )) s"
