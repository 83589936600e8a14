# SPDX-License-Identifier: GPL-2.0-only
# No dax bus at all (dax modules not loaded): an empty listing, not an error.
rm -rf "$out/sys/bus/dax"
