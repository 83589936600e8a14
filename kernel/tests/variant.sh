# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Shared by the kernel/ regression tests (suite kernel-patched).  Each test proves a dax-bus
# defect of kernel/README.md on the kernel the guest booted, in one of three variants, named
# on the kernel command line by kernel/meson.build (run-test --append):
#
#   libdax.variant=stock     Debian's own kernel and modules: the test expects the defect
#                            and fails if it is absent, so it cannot pass on a kernel that
#                            silently changed.
#   libdax.variant=modules   Debian's kernel with the patched device_dax.ko (libdax.ko=PATH,
#                            built by kernel/build modules) put in place of Debian's.
#   libdax.variant=kernel    the project's own kernel built from the patched Debian source
#                            (kernel/build kernel; its release ends in -libdax).
#
# After sourcing: VARIANT, and fixed N (true if defect N is expected to be fixed here).
. "$SRCDIR/test/kernel/lib.sh"

VARIANT= PATCHED_KO=
for tok in $(cat /proc/cmdline); do
	case $tok in
	libdax.variant=*) VARIANT=${tok#*=} ;;
	libdax.ko=*) PATCHED_KO=${tok#*=} ;;
	esac
done

# The variant must be what the guest really runs: a patched test on a stock kernel (or the
# other way round) would prove nothing.
case $VARIANT in
stock | modules)
	[[ $KVER != *-libdax ]] || fail "variant $VARIANT, but the kernel is the project's ($KVER)"
	;;
kernel)
	[[ $KVER == *-libdax ]] || fail "variant kernel, but $KVER is not the project's kernel"
	;;
*) fail "no libdax.variant=stock|modules|kernel on the kernel command line" ;;
esac

if [ "$VARIANT" = modules ]; then
	[ -n "$PATCHED_KO" ] && [ -r "$PATCHED_KO" ] || fail "patched module '$PATCHED_KO' not readable"
	# The stock device_dax was loaded at boot (and on 6.1 owns dax0.0): replace it.
	rmmod device_dax || fail "rmmod device_dax"
	insmod "$PATCHED_KO" || fail "insmod $PATCHED_KO"
	taint=$(cat /sys/module/device_dax/taint)
	[[ $taint == *O* ]] || fail "device_dax taint '$taint': not the out-of-tree module"
	info "device_dax replaced by $PATCHED_KO (taint $taint)"
fi
info "variant $VARIANT on $KLINE ($KVER)"

# fixed N: is defect N of kernel/README.md fixed in what this guest runs?  The patched module
# fixes defect 1 only; the fault guard it also carries (part of defect 2's fix) is checked
# by alias.sh on its own.
fixed() {
	case $VARIANT:$1 in
	kernel:*) return 0 ;;
	modules:1) return 0 ;; # the only defect in a module (device_dax)
	*) return 1 ;;
	esac
}
