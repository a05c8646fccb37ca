# Configuration templates rendered by consul-template when a container starts.
{ pkgs }:

let
  inherit (pkgs) lib writeTextFile;
in
{
  # A consul-template template as a store file. With `yamlCheck`, the build renders it with
  # consul-template-mock against the mock data and lints the result as YAML, so a template that
  # cannot produce valid YAML fails at build time rather than in a container.
  consulTemplateFile =
    {
      name,
      text,
      yamlCheck ? null,
    }:
    writeTextFile {
      inherit name text;
      checkPhase = lib.optionalString (yamlCheck != null) ''
        mock=$(mktemp)
        cat > "$mock" <<'MOCK'
        ${builtins.toJSON yamlCheck.mock}
        MOCK
        ${yamlCheck.consulTemplateMock}/bin/consul-template-mock "$out" "$mock" > rendered.yaml
        ${yamlCheck.yamllint}/bin/yamllint rendered.yaml
      '';
    };
}
