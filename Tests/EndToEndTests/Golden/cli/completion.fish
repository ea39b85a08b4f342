function __opendata_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __opendata_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __opendata_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __opendata_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __opendata_parse_tokens -S
    set -l unparsed_tokens (__opendata_tokens -pc)
    switch $unparsed_tokens[1]
    case 'opendata'
        __opendata_parse_subcommand 0 'h/help'
        switch $unparsed_tokens[1]
        case 'run'
            __opendata_parse_subcommand -r 1 'output=' 'dry-run' 'wait=' 'keep=' 'now=' 'release-at=' 'replace' 'allow-earlier-time' 'note=' 'correction' 'max-issues=' 'pipelines=' 'allow-root=+' 'q/quiet' 'v/verbose' 'log-format=' 'h/help'
        case 'validate'
            __opendata_parse_subcommand -r 1 'report=' 'max-issues=' 'output=' 'pipelines=' 'allow-root=+' 'q/quiet' 'v/verbose' 'log-format=' 'h/help'
        case 'list'
            __opendata_parse_subcommand 0 'pipelines=' 'allow-root=+' 'q/quiet' 'v/verbose' 'log-format=' 'h/help'
        case 'inspect'
            __opendata_parse_subcommand 1 'sample-bytes=' 'h/help'
        case 'releases'
            __opendata_parse_subcommand 0 'output=' 'h/help'
        case 'rollback'
            __opendata_parse_subcommand 1 'output=' 'wait=' 'h/help'
        case 'verify'
            __opendata_parse_subcommand 1 'output=' 'h/help'
        case 'serve'
            __opendata_parse_subcommand 0 'output=' 'host=' 'port=' 'embargoed' 'held=' 'pipelines=' 'allow-root=+' 'q/quiet' 'v/verbose' 'log-format=' 'h/help'
        case 'calendar'
            __opendata_parse_subcommand 0 'output=' 'check' 'now=' 'h/help'
        case 'release-due'
            __opendata_parse_subcommand 0 'output=' 'now=' 'wait=' 'q/quiet' 'h/help'
        case 'held'
            __opendata_parse_subcommand 0 'output=' 'h/help'
        case 'cancel-held'
            __opendata_parse_subcommand 1 'output=' 'wait=' 'h/help'
        case 'asof'
            __opendata_parse_subcommand 2 'output=' 'to=' 'h/help'
        case 'help'
            __opendata_parse_subcommand -r 1 
        end
    end
end

function __opendata_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __opendata_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __opendata_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __opendata_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__opendata_tokens -p)
    if test -z "$(__opendata_tokens -t)"
        set -l index (count (__opendata_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'opendata' -f
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_positional "opendata" -eq 1' -fa 'run' -d 'Publish pipelines as a new release of the output folder.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_positional "opendata" -eq 1' -fa 'validate' -d 'Check pipeline definitions and their data without publishing anything.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_positional "opendata" -eq 1' -fa 'list' -d 'List the pipelines and their datasets.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_positional "opendata" -eq 1' -fa 'inspect' -d 'Suggest how to read a new source file: a source and fields snippet to paste into a pipeline.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_positional "opendata" -eq 1' -fa 'releases' -d 'List the complete releases of the output folder in publication order, checking each.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_positional "opendata" -eq 1' -fa 'rollback' -d 'Switch `current` back to an earlier release (default: the one before current), atomically.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_positional "opendata" -eq 1' -fa 'verify' -d 'Check a release (default: the current one) file by file against its release.json.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_positional "opendata" -eq 1' -fa 'serve' -d 'Preview the current release over HTTP (for checking before a real web server serves it).'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_positional "opendata" -eq 1' -fa 'calendar' -d 'List the published release calendar; with --check, report the releases that are overdue.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_positional "opendata" -eq 1' -fa 'release-due' -d 'Publish the held releases whose time has come (for a cron line every minute).'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_positional "opendata" -eq 1' -fa 'held' -d 'List the held (embargoed) releases, checking each against its release.json.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_positional "opendata" -eq 1' -fa 'cancel-held' -d 'Delete a held release before its time: it is never published.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_positional "opendata" -eq 1' -fa 'asof' -d 'Write a dataset\'s CSV exactly as it was published at a moment.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_positional "opendata" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata run" output' -l 'output' -d 'The publication root.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata run" dry-run' -l 'dry-run' -d 'Show what would change (files, feed items, revised values) and publish nothing.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata run" wait' -l 'wait' -d 'Wait up to this many seconds for another run to finish instead of exiting with 75.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata run" keep' -l 'keep' -d 'Keep at most this many releases, removing the oldest (never the current one).' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata run" now' -l 'now' -d 'The release time, as ISO 8601 (2018-09-18T09:00:00+07:00) or seconds since 1970.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata run" release-at' -l 'release-at' -d 'Prepare the release now and hold it until this time (ISO 8601); `opendata release-due` publishes it then.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata run" replace' -l 'replace' -d 'With --release-at: replace the held release of the same pipelines.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata run" allow-earlier-time' -l 'allow-earlier-time' -d 'Publish even when the release time is earlier than the current release\'s (a clock set back on purpose).'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata run" note' -l 'note' -d 'A note on the release, stored in release.json and changes.json and shown on its pages and feed items.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata run" correction' -l 'correction' -d 'The release corrects an error: its feed items are titled "Correction" ("Đính chính").'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata run" max-issues' -l 'max-issues' -d 'How many issues the report lists when validation finds any; all are counted.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata run" pipelines' -l 'pipelines' -d 'The folder of pipeline files.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata run"' -l 'allow-root' -d 'A folder outside a pipeline file\'s own from which its sources may be read (repeatable; none by default).' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata run" q quiet' -l 'quiet' -s 'q' -d 'Print only errors.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata run" v verbose' -l 'verbose' -s 'v' -d 'Log every step, also on a terminal (where a progress line shows by default).'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata run" log-format' -l 'log-format' -d 'Log lines as text or json (one object a line).' -rfka 'text json'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata validate" report' -l 'report' -d 'How to print the report: text (on standard error) or json (on standard output).' -rfka 'text json'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata validate" max-issues' -l 'max-issues' -d 'How many issues the report lists; all are counted.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata validate" output' -l 'output' -d 'The publication root, whose current release tests that compare with published figures read.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata validate" pipelines' -l 'pipelines' -d 'The folder of pipeline files.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata validate"' -l 'allow-root' -d 'A folder outside a pipeline file\'s own from which its sources may be read (repeatable; none by default).' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata validate" q quiet' -l 'quiet' -s 'q' -d 'Print only errors.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata validate" v verbose' -l 'verbose' -s 'v' -d 'Log every step, also on a terminal (where a progress line shows by default).'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata validate" log-format' -l 'log-format' -d 'Log lines as text or json (one object a line).' -rfka 'text json'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata validate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata list" pipelines' -l 'pipelines' -d 'The folder of pipeline files.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata list"' -l 'allow-root' -d 'A folder outside a pipeline file\'s own from which its sources may be read (repeatable; none by default).' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata list" q quiet' -l 'quiet' -s 'q' -d 'Print only errors.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata list" v verbose' -l 'verbose' -s 'v' -d 'Log every step, also on a terminal (where a progress line shows by default).'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata list" log-format' -l 'log-format' -d 'Log lines as text or json (one object a line).' -rfka 'text json'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata inspect" sample-bytes' -l 'sample-bytes' -d 'How many bytes at the start of the file to look at.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata inspect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata releases" output' -l 'output' -d 'The publication root.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata releases" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata rollback" output' -l 'output' -d 'The publication root.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata rollback" wait' -l 'wait' -d 'Wait up to this many seconds for a running publication to finish.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata rollback" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata verify" output' -l 'output' -d 'The publication root.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata serve" output' -l 'output' -d 'The publication root whose `current` release is served.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata serve" host' -l 'host' -d 'The address to listen on.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata serve" port' -l 'port' -d 'The port to listen on.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata serve" embargoed' -l 'embargoed' -d 'Serve a held (embargoed) release instead, to the publisher only: loopback addresses only.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata serve" held' -l 'held' -d 'With --embargoed: the held release\'s id (needed when several are held).' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata serve" pipelines' -l 'pipelines' -d 'The folder of pipeline files.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata serve"' -l 'allow-root' -d 'A folder outside a pipeline file\'s own from which its sources may be read (repeatable; none by default).' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata serve" q quiet' -l 'quiet' -s 'q' -d 'Print only errors.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata serve" v verbose' -l 'verbose' -s 'v' -d 'Log every step, also on a terminal (where a progress line shows by default).'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata serve" log-format' -l 'log-format' -d 'Log lines as text or json (one object a line).' -rfka 'text json'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata calendar" output' -l 'output' -d 'The publication root.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata calendar" check' -l 'check' -d 'Print only the overdue entries, and exit 80 when there is one.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata calendar" now' -l 'now' -d 'The time to check at, as ISO 8601 (2018-09-18T09:00:00+07:00) or seconds since 1970 (default: the clock).' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata calendar" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata release-due" output' -l 'output' -d 'The publication root.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata release-due" now' -l 'now' -d 'The time to compare with (ISO 8601 or seconds since 1970; default: the clock).' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata release-due" wait' -l 'wait' -d 'Wait up to this many seconds for a running publication to finish instead of exiting with 75.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata release-due" q quiet' -l 'quiet' -s 'q' -d 'Print only errors.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata release-due" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata held" output' -l 'output' -d 'The publication root.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata held" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata cancel-held" output' -l 'output' -d 'The publication root.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata cancel-held" wait' -l 'wait' -d 'Wait up to this many seconds for a running publication to finish.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata cancel-held" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata asof" output' -l 'output' -d 'The publication root.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata asof" to' -l 'to' -d 'Write to this file instead of standard output.' -rfka ''
complete -c 'opendata' -n '__opendata_should_offer_completions_for_flags_or_options "opendata asof" h help' -s 'h' -l 'help' -d 'Show help information.'
