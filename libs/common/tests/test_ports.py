import subprocess
import sys

from hotline_devstack.ports import free_port

PICK = "from hotline_devstack.ports import free_port; import sys; print(' '.join(str(free_port()) for _ in range(300))); sys.stdout.flush(); sys.stdin.read()"


def test_a_process_never_gets_the_same_port_twice():
    ports = [free_port() for _ in range(500)]
    assert len(set(ports)) == len(ports)


def test_processes_running_at_once_never_share_a_port():
    # Both pickers stay alive (blocked on stdin) while the other picks, as parallel test workers do.
    pickers = [
        subprocess.Popen([sys.executable, "-c", PICK], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    try:
        picked = [set(map(int, p.stdout.readline().split())) for p in pickers]
        mine = {free_port() for _ in range(300)}
    finally:
        for p in pickers:
            p.communicate("")
    assert all(len(s) == 300 for s in picked)
    assert not picked[0] & picked[1]
    assert not mine & (picked[0] | picked[1])
