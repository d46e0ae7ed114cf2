#!/usr/bin/env bash
# Verifies notes/exercises.md: each exercise's change, applied to a scratch
# copy of the tree, must make the test the note names fail, and nothing is
# changed here.  `make exercises` runs it (it rebuilds once per exercise).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
n=0
# Each exercise, tab-separated: file, text to find, its replacement, and the
# gtest filter that must then fail.
while IFS=$'\t' read -r file from to filter; do
  [ -z "$file" ] && continue
  n=$((n + 1))
  rm -rf "$work/tree" && mkdir -p "$work/tree"
  (cd "$root" && git ls-files -z | xargs -0 cp --parents -t "$work/tree")
  # Start from this tree's build, so only the changed file recompiles.
  [ -d "$root/build/src" ] && cp -a "$root/build" "$work/tree/" 2>/dev/null
  find "$work/tree" -path "$work/tree/build" -prune -o -type f -exec touch -d '2000-01-01' {} +
  touch "$work/tree/$file"
  # Exactly once: a second copy (a later release's block) would take the
  # change instead, and the test would pass for the wrong reason.
  count=$(grep -cF -- "$from" "$work/tree/$file")
  if [ "$count" != 1 ]; then
    echo "exercise $n: '$from' is in $file $count times, not once"; fail=1; continue
  fi
  FROM="$from" TO="$to" perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/' "$work/tree/$file"
  if ! make -s -C "$work/tree" build/tests/runtime_test >/dev/null 2>&1; then
    echo "exercise $n ($file): does not build"; fail=1; continue
  fi
  if NETPOLL_TEST_TIMEOUT=20 "$work/tree/build/tests/runtime_test" --gtest_filter="$filter" >/dev/null 2>&1; then
    echo "exercise $n ($file): $filter still passes"; fail=1
  else
    echo "exercise $n ($file): $filter fails, as the note says"
  fi
done <<'LIST'
src/runtime/netpoll_epoll.cpp	EPOLLIN_ | EPOLLOUT_ | EPOLLRDHUP_ | EPOLLET_;	EPOLLIN_ | EPOLLOUT_ | EPOLLRDHUP_;	Netpoll.EdgeTriggeredPartialReadIsNotReportedAgainUntilNewData
src/runtime/netpoll_epoll.cpp	if (delay != 0) {  // netpoll_epoll.go:151	if (true) {  // netpoll_epoll.go:151	Netpoll.NonblockingPollDoesNotDrainTheBreakPipe
src/runtime/netpoll_epoll.cpp	    closeonexec(epfd);	    (void)0;	NetpollinitDeathTest.WithoutEpollCreate1FallsBackToEpollCreateAndCloseOnExec
src/runtime/netpoll_epoll.cpp	pd->setEventErr(ev->events == EPOLLERR_);	pd->setEventErr(ev->events & EPOLLERR_);	Netpoll.ErrTogetherWithOutDoesNotSetEventErr
src/runtime/netpoll_epoll.cpp	if (netpollWakeSig.compare_exchange_strong(expected, 1)) {	if (true) {	Netpoll.TwoBreaksBeforeAPollWriteOneByte
src/runtime/netpoll_epoll.cpp	    waitms = 1;  	    waitms = 0;  	NetpollWaitms.EveryBoundaryOfTheDelayTable
src/runtime/netpoll.cpp	if (ioready) new_ = pdReady;	new_ = pdReady;	PollDesc.ExpiredReadDeadlineWakesTheParkedGoroutineWithTimeout
asm/sys_linux_amd64.asm	        mov     r10, rcx                        ; sys_linux_amd64.s:690	        nop                                     ; sys_linux_amd64.s:690	Stubs/SyscallTrace.*/epollctl
asm/asm_amd64.asm	        ldmxcsr [rsp]	        nop	Proc.ContextSwitchKeepsEachGoroutinesMxcsr
LIST
echo "$n exercises checked"
exit $fail
