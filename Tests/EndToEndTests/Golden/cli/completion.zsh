#compdef opendata

__opendata_complete() {
    local -ar non_empty_completions=("${@:#(|:*)}")
    local -ar empty_completions=("${(M)@:#(|:*)}")
    _describe -V '' non_empty_completions -- empty_completions -P $'\'\''
}

__opendata_custom_complete() {
    local -a completions
    completions=("${(@f)"$("${command_name}" "${@}" "${command_line[@]}")"}")
    if [[ "${#completions[@]}" -gt 1 ]]; then
        __opendata_complete "${completions[@]:0:-1}"
    fi
}

__opendata_cursor_index_in_current_word() {
    if [[ -z "${QIPREFIX}${IPREFIX}${PREFIX}" ]]; then
        printf 0
    else
        printf %s "${#${(z)LBUFFER}[-1]}"
    fi
}

_opendata() {
    emulate -RL zsh -G
    setopt extendedglob nullglob numericglobsort
    unsetopt aliases banghist

    local -xr SAP_SHELL=zsh
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(builtin emulate zsh -c 'printf %s "${ZSH_VERSION}"')"
    local -r SAP_SHELL_VERSION

    local context state state_descr line
    local -A opt_args

    local -r command_name="${words[1]}"
    local -ar command_line=("${words[@]}")
    local -ir current_word_index="$((CURRENT - 1))"

    local -i ret=1
    local -ar arg_specs=(
        '(-h --help)'{-h,--help}'[Show help information.]'
        '(-): :->command'
        '(-)*:: :->arg'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0
    case "${state}" in
    command)
        local -ar subcommands=(
            'run:Publish pipelines as a new release of the output folder.'
            'validate:Check pipeline definitions and their data without publishing anything.'
            'list:List the pipelines and their datasets.'
            'inspect:Suggest how to read a new source file: a source and fields snippet to paste into a pipeline.'
            'releases:List the complete releases of the output folder in publication order, checking each.'
            'rollback:Switch `current` back to an earlier release (default: the one before current), atomically.'
            'verify:Check a release (default: the current one) file by file against its release.json.'
            'serve:Preview the current release over HTTP (for checking before a real web server serves it).'
            'calendar:List the published release calendar; with --check, report the releases that are overdue.'
            'release-due:Publish the held releases whose time has come (for a cron line every minute).'
            'held:List the held (embargoed) releases, checking each against its release.json.'
            'cancel-held:Delete a held release before its time: it is never published.'
            'asof:Write a dataset'\''s CSV exactly as it was published at a moment.'
            'help:Show subcommand help information.'
        )
        _describe -V subcommand subcommands && ret=0
        ;;
    arg)
        case "${words[1]}" in
        run|validate|list|inspect|releases|rollback|verify|serve|calendar|release-due|held|cancel-held|asof|help)
            "_opendata_${words[1]}" && ret=0
            ;;
        esac
        ;;
    esac

    return "${ret}"
}

_opendata_run() {
    local -i ret=1
    local -ar ___log_format=('text' 'json')
    local -ar arg_specs=(
        '*:pipeline:'
        '--output[The publication root.]:output:'
        '--dry-run[Show what would change (files, feed items, revised values) and publish nothing.]'
        '--wait[Wait up to this many seconds for another run to finish instead of exiting with 75.]:wait:'
        '--keep[Keep at most this many releases, removing the oldest (never the current one).]:keep:'
        '--now[The release time, as ISO 8601 (2018-09-18T09\:00\:00+07\:00) or seconds since 1970.]:now:'
        '--release-at[Prepare the release now and hold it until this time (ISO 8601); `opendata release-due` publishes it then.]:release-at:'
        '--replace[With --release-at\: replace the held release of the same pipelines.]'
        '--allow-earlier-time[Publish even when the release time is earlier than the current release'\''s (a clock set back on purpose).]'
        '--note[A note on the release, stored in release.json and changes.json and shown on its pages and feed items.]:note:'
        '--correction[The release corrects an error\: its feed items are titled "Correction" ("Đính chính").]'
        '--max-issues[How many issues the report lists when validation finds any; all are counted.]:max-issues:'
        '--pipelines[The folder of pipeline files.]:pipelines:'
        '*--allow-root[A folder outside a pipeline file'\''s own from which its sources may be read (repeatable; none by default).]:allow-root:'
        '(--quiet -q)'{--quiet,-q}'[Print only errors.]'
        '(--verbose -v)'{--verbose,-v}'[Log every step, also on a terminal (where a progress line shows by default).]'
        '--log-format[Log lines as text or json (one object a line).]:log-format:{__opendata_complete "${___log_format[@]}"}'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_opendata_validate() {
    local -i ret=1
    local -ar ___report=('text' 'json')
    local -ar ___log_format=('text' 'json')
    local -ar arg_specs=(
        '*:pipeline:'
        '--report[How to print the report\: text (on standard error) or json (on standard output).]:report:{__opendata_complete "${___report[@]}"}'
        '--max-issues[How many issues the report lists; all are counted.]:max-issues:'
        '--output[The publication root, whose current release tests that compare with published figures read.]:output:'
        '--pipelines[The folder of pipeline files.]:pipelines:'
        '*--allow-root[A folder outside a pipeline file'\''s own from which its sources may be read (repeatable; none by default).]:allow-root:'
        '(--quiet -q)'{--quiet,-q}'[Print only errors.]'
        '(--verbose -v)'{--verbose,-v}'[Log every step, also on a terminal (where a progress line shows by default).]'
        '--log-format[Log lines as text or json (one object a line).]:log-format:{__opendata_complete "${___log_format[@]}"}'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_opendata_list() {
    local -i ret=1
    local -ar ___log_format=('text' 'json')
    local -ar arg_specs=(
        '--pipelines[The folder of pipeline files.]:pipelines:'
        '*--allow-root[A folder outside a pipeline file'\''s own from which its sources may be read (repeatable; none by default).]:allow-root:'
        '(--quiet -q)'{--quiet,-q}'[Print only errors.]'
        '(--verbose -v)'{--verbose,-v}'[Log every step, also on a terminal (where a progress line shows by default).]'
        '--log-format[Log lines as text or json (one object a line).]:log-format:{__opendata_complete "${___log_format[@]}"}'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_opendata_inspect() {
    local -i ret=1
    local -ar arg_specs=(
        ':file:'
        '--sample-bytes[How many bytes at the start of the file to look at.]:sample-bytes:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_opendata_releases() {
    local -i ret=1
    local -ar arg_specs=(
        '--output[The publication root.]:output:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_opendata_rollback() {
    local -i ret=1
    local -ar arg_specs=(
        ':release:'
        '--output[The publication root.]:output:'
        '--wait[Wait up to this many seconds for a running publication to finish.]:wait:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_opendata_verify() {
    local -i ret=1
    local -ar arg_specs=(
        ':release:'
        '--output[The publication root.]:output:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_opendata_serve() {
    local -i ret=1
    local -ar ___log_format=('text' 'json')
    local -ar arg_specs=(
        '--output[The publication root whose `current` release is served.]:output:'
        '--host[The address to listen on.]:host:'
        '--port[The port to listen on.]:port:'
        '--embargoed[Serve a held (embargoed) release instead, to the publisher only\: loopback addresses only.]'
        '--held[With --embargoed\: the held release'\''s id (needed when several are held).]:held:'
        '--pipelines[The folder of pipeline files.]:pipelines:'
        '*--allow-root[A folder outside a pipeline file'\''s own from which its sources may be read (repeatable; none by default).]:allow-root:'
        '(--quiet -q)'{--quiet,-q}'[Print only errors.]'
        '(--verbose -v)'{--verbose,-v}'[Log every step, also on a terminal (where a progress line shows by default).]'
        '--log-format[Log lines as text or json (one object a line).]:log-format:{__opendata_complete "${___log_format[@]}"}'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_opendata_calendar() {
    local -i ret=1
    local -ar arg_specs=(
        '--output[The publication root.]:output:'
        '--check[Print only the overdue entries, and exit 80 when there is one.]'
        '--now[The time to check at, as ISO 8601 (2018-09-18T09\:00\:00+07\:00) or seconds since 1970 (default\: the clock).]:now:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_opendata_release-due() {
    local -i ret=1
    local -ar arg_specs=(
        '--output[The publication root.]:output:'
        '--now[The time to compare with (ISO 8601 or seconds since 1970; default\: the clock).]:now:'
        '--wait[Wait up to this many seconds for a running publication to finish instead of exiting with 75.]:wait:'
        '(--quiet -q)'{--quiet,-q}'[Print only errors.]'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_opendata_held() {
    local -i ret=1
    local -ar arg_specs=(
        '--output[The publication root.]:output:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_opendata_cancel-held() {
    local -i ret=1
    local -ar arg_specs=(
        ':release:'
        '--output[The publication root.]:output:'
        '--wait[Wait up to this many seconds for a running publication to finish.]:wait:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_opendata_asof() {
    local -i ret=1
    local -ar arg_specs=(
        ':time:'
        ':dataset:'
        '--output[The publication root.]:output:'
        '--to[Write to this file instead of standard output.]:to:'
        '(-h --help)'{-h,--help}'[Show help information.]'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

_opendata_help() {
    local -i ret=1
    local -ar arg_specs=(
        '*:subcommands:'
    )
    _arguments -w -s -S : "${arg_specs[@]}" && ret=0

    return "${ret}"
}

if [[ "${funcstack[1]}" = _opendata ]]; then
    _opendata "${@}"
else
    compdef _opendata opendata
fi
