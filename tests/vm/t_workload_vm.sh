# vm-cost: 10
# vm-timeout: 300
# Workload identity on cgroup v2: the host's test (tests/integ/t_workload.sh,
# cgroup v1 there) run as it is in the guest, whose memory controller is v2:
# the same names of every kind, selection, --by workload, explain, and a
# real OOM kill in a pod's container cgroup named in the log.
exec bash "$(dirname "$0")/../integ/t_workload.sh"
