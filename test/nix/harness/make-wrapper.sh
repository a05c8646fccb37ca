# makeWrapper's setup hook: `makeWrapper ORIGINAL WRAPPER ARGS...` writes a shell script that
# sets up the environment and execs ORIGINAL; `wrapProgram PROGRAM ARGS...` wraps a program in
# place, keeping the original as .PROGRAM-wrapped. The arguments are nixpkgs': --argv0,
# --inherit-argv0, --set, --set-default, --unset, --prefix, --suffix, --run, --chdir,
# --add-flags and --append-flags.

makeWrapper() {
    local original="$1" wrapper="$2"
    shift 2
    local argv0='"$0"' body="" flagsBefore="" flagsAfter=""
    if [ ! -x "$original" ]; then
        echo "makeWrapper: '$original' does not exist or is not executable" >&2
        return 1
    fi
    while [ $# -gt 0 ]; do
        case "$1" in
            --argv0) argv0=$(printf '%q' "$2"); shift 2 ;;
            --inherit-argv0) argv0='"$0"'; shift ;;
            --set) body+="export $2=$(printf '%q' "$3")"$'\n'; shift 3 ;;
            --set-default) body+="export $2=\${$2-$(printf '%q' "$3")}"$'\n'; shift 3 ;;
            --unset) body+="unset $2"$'\n'; shift 2 ;;
            --prefix) body+="export $2=$(printf '%q' "$4")\${$2:+$(printf '%q' "$3")\$$2}"$'\n'; shift 4 ;;
            --suffix) body+="export $2=\${$2:+\$$2$(printf '%q' "$3")}$(printf '%q' "$4")"$'\n'; shift 4 ;;
            --run) body+="$2"$'\n'; shift 2 ;;
            --chdir) body+="cd $(printf '%q' "$2")"$'\n'; shift 2 ;;
            --add-flags) flagsBefore+=" $2"; shift 2 ;;
            --append-flags) flagsAfter+=" $2"; shift 2 ;;
            *) echo "makeWrapper: unknown argument $1" >&2; return 1 ;;
        esac
    done
    mkdir -p "$(dirname "$wrapper")"
    {
        echo "#! @shell@ -e"
        printf '%s' "$body"
        echo "exec -a $argv0 $(printf '%q' "$original")$flagsBefore \"\$@\"$flagsAfter"
    } > "$wrapper"
    chmod +x "$wrapper"
}

wrapProgram() {
    local program="$1" hidden
    shift
    hidden="$(dirname "$program")/.$(basename "$program")-wrapped"
    mv "$program" "$hidden"
    makeWrapper "$hidden" "$program" --inherit-argv0 "$@"
}
