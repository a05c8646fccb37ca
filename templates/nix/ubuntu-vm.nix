# An Ubuntu 16.04 virtual machine with some .deb files installed, to try Debian packages by hand.
{ pkgs }:

let
  # The Ubuntu 3.13.0-83 kernel the VM boots, taken from its .deb.
  kernelPackage = pkgs.fetchurl {
    url = "http://fr.archive.ubuntu.com/ubuntu/pool/main/l/linux/linux-image-3.13.0-83-generic_3.13.0-83.127_amd64.deb";
    sha256 = "1gmg99a5ipdi7fjcna3wf8as58p84p3l9wl89d7b3lgm26qvrzg2";
  };
  kernel =
    pkgs.runCommand "ubuntuImageHeaders-3.13.0-83-generic"
      {
        nativeBuildInputs = [ pkgs.dpkg ];
      }
      ''
        dpkg-deb --extract ${kernelPackage} unpacked
        mkdir -p "$out"
        cp unpacked/boot/vmlinuz* "$out/vmlinuz"
      '';
in
{
  # A script that boots a fresh copy of the disk image (changes are lost on exit) with qemu-kvm.
  runUbuntuVmScript =
    debianPackages:
    let
      disk = pkgs.vmTools.diskImageFuns.ubuntu1604x86_64 { extraDebs = debianPackages; };
    in
    pkgs.writeScript "run-ubuntu-script" ''
      #!${pkgs.bash}/bin/bash
      set -e
      work=/tmp/run-ubuntu-vm.tmp
      rm -rf "$work"
      mkdir -p "$work"
      cp ${disk}/disk-image.qcow2 "$work/disk-image.qcow2"
      chmod a+rw "$work/disk-image.qcow2"
      exec ${pkgs.qemu_kvm}/bin/qemu-kvm -hda "$work/disk-image.qcow2" -kernel ${kernel}/vmlinuz \
        -append "root=/dev/sda console=ttyS0 panic=1" -nographic -no-reboot
    '';
}
