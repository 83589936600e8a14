# SPDX-License-Identifier: GPL-2.0-only
# Guest side of "selftest hang": never finishes; the runner's timeout must fail it.
echo "hanging on purpose"
while :; do sleep 1; done
