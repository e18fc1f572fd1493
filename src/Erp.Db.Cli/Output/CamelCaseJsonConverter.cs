using System.Text.Json;
using System.Text.Json.Serialization;

namespace Erp.Db.Cli.Output;

/// <summary>
/// Writes a JSON value passed through from the database (a jsonb column such as an alert's details) with its object keys named
/// by the options' <see cref="JsonSerializerOptions.DictionaryKeyPolicy"/>, as a dictionary's keys are: the database keeps its
/// snake_case, the output is camelCase throughout. Values are written as they are.
/// </summary>
internal sealed class CamelCaseJsonConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => JsonElement.ParseValue(ref reader);

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    writer.WritePropertyName(options.DictionaryKeyPolicy?.ConvertName(property.Name) ?? property.Name);
                    Write(writer, property.Value, options);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    Write(writer, item, options);
                }
                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }
}
