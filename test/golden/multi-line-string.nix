{
  text = ''
    #!${bash}/bin/bash
    set -e

    echo "''${HOME}" '''quoted'''
  '';
  noTrailingNewline = ''
    first
    second'';
  leadingSpacesOnly = "  indented\n  both\n";
}
