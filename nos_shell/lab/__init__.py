"""`nos-shell lab`: whole networks of nos-shell routers and plain hosts on one machine, each
node in its own namespaces (docs/lab.md). topology.py reads the topology file (pure);
kernel.py tells which link kinds this kernel can create; vm.py runs a command inside a
real Debian kernel under QEMU when this one lacks drivers (vmcache.py: the kernel cache,
vminit.py: the guest's init scripts)."""
