# Sourced (not run) by bindings/go/run-tests.sh and scripts/bench: points the Go package's
# `#cgo pkg-config: --static trillet` at a library built in this checkout.
#
#   . bindings/go/build-tree-pc.sh ROOT LIBDIR
#
# Writes LIBDIR/pkgconfig/{static,shared}/trillet.pc (the static archive by name, GNU ld's -l:;
# or the shared library with an rpath, its SONAME libtrillet.so.0 linked beside it as an install
# would have), and exports PKG_CONFIG_PATH (static first) and CGO_CPPFLAGS. Sets pcdir,
# cppflags_base and the function stamp for the caller.
pc_root="$1"
pc_libdir="$2"
pc_version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$pc_root/Cargo.toml" | head -n 1)"
pcdir="$pc_libdir/pkgconfig"
write_pc() { # write_pc <kind> <Libs>
  mkdir -p "$pcdir/$1"
  cat >"$pcdir/$1/trillet.pc" <<PC
libdir=$pc_libdir
includedir=$pc_root/include

Name: trillet
Description: trillet from the build tree of this repository ($1 library)
Version: $pc_version
Cflags: -I\${includedir}
Libs: $2
Libs.private: -lm -ldl -lpthread -lrt -lutil
PC
}
write_pc static '-L${libdir} -l:libtrillet.a'
write_pc shared '-L${libdir} -ltrillet -Wl,-rpath,${libdir}'
ln -sf libtrillet.so "$pc_libdir/libtrillet.so.0"
export PKG_CONFIG_PATH="$pcdir/static${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
# Go's build cache keys cgo packages on CGO_* flags, not on what pkg-config prints nor on the
# library's content: a define naming the variant and the library's mtime and size keeps a static
# build, a shared build and a rebuilt library from reusing each other's cached objects.
stamp() { stat -c '%Y_%s' "$1" 2>/dev/null || stat -f '%m_%z' "$1"; }
cppflags_base="${CGO_CPPFLAGS:-}"
export CGO_CPPFLAGS="$cppflags_base -DTRILLET_PC_STATIC_$(stamp "$pc_libdir/libtrillet.a")"
